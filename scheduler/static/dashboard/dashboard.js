// The Tessera dashboard's browser script: polls /api/status and redraws the summary, workers, jobs and task stream.
/* global Chart */
(function () {
  "use strict";

  const POLL_MS = Math.max(100, Number(document.body.dataset.pollMs) || 500);
  const LANE_PX = 22;
  /** Colour-blind-friendly, distinct hues (Okabe-Ito and Tableau-like), assigned to labels in order of first appearance. */
  const PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#edc948", "#76b7b2", "#ff9da7", "#9c755f", "#e15759", "#bab0ac", "#1f77b4", "#8cd17d"];
  const ERRED = "#d62728";
  const colours = new Map();

  const $ = (id) => document.getElementById(id);

  function colourOf(label) {
    let c = colours.get(label);
    if (c === undefined) {
      c = colours.size < PALETTE.length ? PALETTE[colours.size] : `hsl(${hash(label) % 360} 55% 55%)`;
      colours.set(label, c);
    }
    return c;
  }

  function hash(s) {
    let h = 2166136261;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
    return h >>> 0;
  }

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") e.className = v;
      else if (k.startsWith("data-")) e.setAttribute(k, v);
      else e[k] = v;
    }
    for (const c of children) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
    return e;
  }

  function bytes(n) {
    if (n === null || n === undefined) return "–";
    if (!Number.isFinite(n)) return "∞";
    const units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return `${i === 0 ? n : n.toFixed(n < 10 ? 2 : n < 100 ? 1 : 0)} ${units[i]}`;
  }

  function duration(ms) {
    if (ms < 1000) return `${Math.round(ms)} ms`;
    const s = ms / 1000;
    if (s < 60) return `${s.toFixed(s < 10 ? 2 : 1)} s`;
    const m = Math.floor(s / 60);
    if (m < 60) return `${m} m ${Math.round(s - m * 60)} s`;
    return `${Math.floor(m / 60)} h ${m % 60} m`;
  }

  function clock(t) {
    const d = new Date(t);
    const p = (n, w = 2) => String(n).padStart(w, "0");
    return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3).slice(0, 1)}`;
  }

  const num = (n) => Number(n).toLocaleString("en-US");

  function bar(fraction, text, cls, second) {
    const b = el("div", { class: "bar" });
    const f = el("div", { class: `fill ${cls || ""}` });
    f.style.width = `${Math.max(0, Math.min(1, fraction)) * 100}%`;
    b.append(f);
    if (second) {
      const s = el("div", { class: `fill ${second.cls}` });
      s.style.width = `${Math.max(0, Math.min(1, second.fraction)) * 100}%`;
      b.append(s);
    }
    b.append(el("div", { class: "text" }, text));
    return b;
  }

  // ---- summary --------------------------------------------------------------------------------

  function drawSummary(s) {
    const threads = s.workers.reduce((a, w) => a + w.nthreads, 0);
    $("sum-workers").textContent = num(s.workers.length);
    $("sum-threads").textContent = `${num(threads)} thread${threads === 1 ? "" : "s"}`;
    const used = s.workers.reduce((a, w) => a + (w.memory ?? w.heldBytes), 0);
    const limit = s.workers.reduce((a, w) => a + w.memoryLimit, 0);
    const spilled = s.workers.reduce((a, w) => a + (w.spilled ?? 0), 0);
    $("sum-memory").textContent = bytes(used);
    $("sum-memory-note").textContent = `of ${bytes(limit)}${spilled > 0 ? ` · ${bytes(spilled)} spilled` : ""}`;
    const t = s.tasks;
    const total = Object.values(t).reduce((a, n) => a + n, 0);
    $("sum-tasks").textContent = num(total);
    $("sum-task-states").textContent = `${num(t.processing)} processing · ${num(t.queued + t.waiting)} waiting · ${num(t.memory)} held`;
    $("sum-finished").textContent = num(s.tasksFinishedTotal);
    $("sum-erred").textContent = s.tasksErredTotal > 0 ? `${num(s.tasksErredTotal)} erred` : "none erred";
    const jc = s.jobCounts;
    $("sum-jobs").textContent = `${num(jc.running)} running`;
    $("sum-job-states").textContent = `${num(jc.done)} done · ${num(jc.erred)} erred · ${num(jc.cancelled)} cancelled`;
    $("uptime").textContent = `up ${duration(s.time - s.startedAt)}`;
  }

  // ---- workers --------------------------------------------------------------------------------

  function drawWorkers(s) {
    const body = document.querySelector("#workers tbody");
    const rows = s.workers.map((w) => {
      const memory = w.memory ?? w.heldBytes;
      const limited = Number.isFinite(w.memoryLimit) && w.memoryLimit > 0;
      const frac = limited ? memory / w.memoryLimit : 0;
      const spillFrac = limited && w.spilled ? w.spilled / w.memoryLimit : 0;
      const memText = limited ? `${bytes(memory)} / ${bytes(w.memoryLimit)}` : bytes(memory);
      const running = w.executing === null ? num(w.processing) : `${num(w.executing)}`;
      const runCell = el("td", { class: "num", "data-col": "running" }, running);
      if (w.executing !== null && w.processing > w.executing) runCell.append(el("span", { class: "sub" }, ` / ${num(w.processing)}`));
      runCell.title = "running on threads / assigned";
      const id = el("td", { class: "id" }, w.id);
      if (w.paused) id.append(" ", el("span", { class: "state state-erred", title: "memory past the pause fraction: starts no tasks" }, "paused"));
      return el("tr", { "data-worker": w.id, "data-paused": String(w.paused) },
        id,
        el("td", { class: "num" }, num(w.nthreads)),
        runCell,
        el("td", {}, bar(frac, memText, frac > 0.8 ? "erred" : "", spillFrac > 0 ? { fraction: spillFrac, cls: "spill" } : null)),
        el("td", { class: "num", "data-col": "spilled" }, w.spilled === null ? "–" : bytes(w.spilled)),
        el("td", { class: "num" }, num(w.heldResults)));
    });
    body.replaceChildren(...rows);
    $("workers-empty").classList.toggle("hidden", rows.length > 0);
  }

  // ---- jobs -----------------------------------------------------------------------------------

  function drawJobs(s) {
    const body = document.querySelector("#jobs tbody");
    const rows = s.jobs.map((j) => {
      const frac = j.total > 0 ? j.done / j.total : j.state === "done" ? 1 : 0;
      const cls = j.state === "running" ? "" : j.state;
      const graphLink = el("a", { href: `/graph?job=${encodeURIComponent(`${j.clientId}/${j.jobId}`)}`, title: "the job's graph by plan stage" }, j.jobId);
      const name = el("td", { class: "id" }, graphLink, el("div", { class: "sub" }, j.clientId));
      const stateCell = el("td", {}, el("span", { class: `state state-${j.state}` }, j.state));
      if (j.error) stateCell.append(el("div", { class: "error", title: j.error }, j.error));
      const progress = el("td", { "data-col": "progress" }, bar(frac, `${j.done}/${j.total}`, cls));
      const elapsed = (j.finishedAt ?? s.time) - j.submittedAt;
      return el("tr", { "data-job": j.jobId, "data-client": j.clientId, "data-state": j.state, "data-done": String(j.done), "data-total": String(j.total) },
        name, stateCell, progress, el("td", { class: "num" }, duration(elapsed)));
    });
    body.replaceChildren(...rows);
    $("jobs-empty").classList.toggle("hidden", rows.length > 0);
  }

  // ---- task stream ----------------------------------------------------------------------------

  let chart = null;

  function lanesOf(s) {
    const lanes = [];
    const seen = new Set();
    for (const w of s.workers) {
      for (let t = 0; t < w.nthreads; t++) { lanes.push(`${w.id} #${t}`); seen.add(`${w.id} #${t}`); }
    }
    // Tasks of workers that have left, or on threads beyond the reported count, still get a lane.
    const extra = [];
    for (const e of s.taskStream) {
      const lane = `${e.worker} #${e.thread}`;
      if (!seen.has(lane)) { seen.add(lane); extra.push(lane); }
    }
    extra.sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
    return lanes.concat(extra);
  }

  function drawStream(s) {
    const entries = s.taskStream;
    $("stream-empty").classList.toggle("hidden", entries.length > 0);
    $("stream-box").classList.toggle("hidden", entries.length === 0);
    if (entries.length === 0) { $("legend").replaceChildren(); $("stream-note").textContent = ""; return; }
    if (typeof Chart === "undefined") { $("stream-note").textContent = "chart library failed to load"; return; }

    const byLabel = new Map();
    let lo = Infinity, hi = -Infinity;
    for (const e of entries) {
      const name = e.erred ? "erred" : e.label;
      let list = byLabel.get(name);
      if (list === undefined) { list = []; byLabel.set(name, list); }
      // Sub-millisecond tasks would be invisible: draw at least 0.5% of the visible span (fixed up below).
      list.push({ x: [e.start, e.end], y: `${e.worker} #${e.thread}`, key: e.key, ms: e.end - e.start });
      lo = Math.min(lo, e.start);
      hi = Math.max(hi, e.end);
    }
    const span = Math.max(1, hi - lo);
    const minWidth = span * 0.004;
    for (const list of byLabel.values()) for (const p of list) if (p.x[1] - p.x[0] < minWidth) p.x = [p.x[0], p.x[0] + minWidth];

    const names = [...byLabel.keys()].sort((a, b) => (a === "erred") - (b === "erred") || a.localeCompare(b));
    const datasets = names.map((name) => ({
      label: name,
      data: byLabel.get(name),
      backgroundColor: name === "erred" ? ERRED : colourOf(name),
      // A hairline on each bar's left edge separates back-to-back tasks of the same colour.
      borderColor: "rgba(255, 255, 255, 0.85)",
      borderWidth: { left: 1, right: 0, top: 0, bottom: 0 },
      borderSkipped: false,
      grouped: false,
      barPercentage: 0.82,
      categoryPercentage: 1,
    }));
    const lanes = lanesOf(s);
    // 22 px lanes while they fit; many workers share ~560 px (at least 4 px a lane; labels thin out on their own).
    const lanePx = lanes.length <= 24 ? LANE_PX : Math.max(4, Math.floor(560 / lanes.length));
    $("stream-box").style.height = `${Math.max(120, lanes.length * lanePx + 48)}px`;

    $("legend").replaceChildren(...names.map((name) => {
      const sw = el("span", { class: "swatch" });
      sw.style.background = name === "erred" ? ERRED : colourOf(name);
      return el("span", { class: "item", "data-label": name }, sw, name, el("span", { class: "count" }, num(byLabel.get(name).length)));
    }));
    $("stream-note").textContent = `last ${num(entries.length)} tasks over ${duration(span)} · ${clock(lo)} – ${clock(hi)}`;

    const pad = span * 0.01;
    if (chart === null) {
      chart = new Chart($("task-stream"), {
        type: "bar",
        data: { labels: lanes, datasets },
        options: {
          indexAxis: "y",
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          parsing: { xAxisKey: "x", yAxisKey: "y" },
          plugins: {
            legend: { display: false },
            tooltip: {
              callbacks: {
                title: (items) => (items.length > 0 ? items[0].raw.key : ""),
                label: (item) => `${item.dataset.label} on ${item.raw.y}: ${item.raw.ms < 1 ? item.raw.ms.toFixed(2) : Math.round(item.raw.ms)} ms`,
              },
            },
          },
          scales: {
            x: {
              type: "linear",
              min: lo - pad,
              max: hi + pad,
              grid: { color: "#eef0f4" },
              ticks: { maxTicksLimit: 8, callback: (v) => clock(v), color: "#6b7385", font: { size: 11 } },
            },
            y: {
              type: "category",
              grid: { display: false },
              ticks: { color: "#39414f", font: { size: 11, family: "ui-monospace, DejaVu Sans Mono, monospace" } },
            },
          },
        },
      });
    } else {
      chart.data.labels = lanes;
      chart.data.datasets = datasets;
      chart.options.scales.x.min = lo - pad;
      chart.options.scales.x.max = hi + pad;
      chart.update("none");
    }
  }

  // ---- polling --------------------------------------------------------------------------------

  function setConn(ok, text) {
    const c = $("conn");
    c.textContent = text;
    c.className = `pill ${ok ? "pill-ok" : "pill-bad"}`;
    c.dataset.state = ok ? "live" : "down";
  }

  let drawn = 0;

  async function poll() {
    try {
      const res = await fetch("/api/status", { cache: "no-store" });
      // The cluster has a token and this page's sign-in expired (or never happened): sign in again.
      if (res.status === 401) {
        window.location.assign("/login");
        return;
      }
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const s = await res.json();
      drawSummary(s);
      drawWorkers(s);
      drawJobs(s);
      drawStream(s);
      document.body.dataset.updates = String(++drawn);
      setConn(true, "live");
    } catch (e) {
      setConn(false, `disconnected (${e instanceof Error ? e.message : e})`);
    } finally {
      setTimeout(poll, POLL_MS);
    }
  }

  poll();
})();
