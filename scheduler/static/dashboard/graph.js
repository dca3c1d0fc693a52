// The graph view's browser script: polls /api/graph?job=CLIENT/JOB and draws the job's plan stages, the bytes between them and its explain text.
(function () {
  "use strict";

  const POLL_MS = 500;
  const BOX_W = 230;
  const BOX_H = 92;
  const GAP_X = 90;
  const GAP_Y = 28;
  const PAD = 16;
  const SVG = "http://www.w3.org/2000/svg";
  const STATES = ["memory", "processing", "erred", "waiting"];
  const job = new URLSearchParams(location.search).get("job") || "";
  const $ = (id) => document.getElementById(id);

  function svg(tag, attrs, ...children) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    for (const c of children) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
    return e;
  }

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") e.className = v;
      else e.setAttribute(k, v);
    }
    for (const c of children) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
    return e;
  }

  function bytes(n) {
    const units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return `${i === 0 ? n : n.toFixed(n < 10 ? 2 : n < 100 ? 1 : 0)} ${units[i]}`;
  }

  function clip(s, max) {
    return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
  }

  /** done: every task finished; erred: one failed; running: some started or finished; waiting: none yet. */
  function stageState(s) {
    if (s.erred > 0) return "erred";
    if (s.total > 0 && s.done >= s.total) return "done";
    if (s.processing > 0 || s.done > 0) return "running";
    return "waiting";
  }

  /** Columns by depth: a stage sits one column right of the deepest stage it reads from. */
  function layout(stages) {
    const depth = new Map();
    const byName = new Map(stages.map((s) => [s.name, s]));
    const visit = (s, seen) => {
      if (depth.has(s.name)) return depth.get(s.name);
      if (seen.has(s.name)) return 0;
      seen.add(s.name);
      let d = 0;
      for (const i of s.inputs) if (byName.has(i)) d = Math.max(d, visit(byName.get(i), seen) + 1);
      depth.set(s.name, d);
      return d;
    };
    for (const s of stages) visit(s, new Set());
    const columns = [];
    for (const s of stages) (columns[depth.get(s.name)] ||= []).push(s);
    const pos = new Map();
    columns.forEach((col, c) => col.forEach((s, r) => pos.set(s.name, { x: PAD + c * (BOX_W + GAP_X), y: PAD + r * (BOX_H + GAP_Y) })));
    const rows = Math.max(1, ...columns.map((c) => (c ? c.length : 0)));
    return { pos, width: PAD * 2 + columns.length * BOX_W + (columns.length - 1) * GAP_X, height: PAD * 2 + rows * BOX_H + (rows - 1) * GAP_Y };
  }

  function stateBar(s, x, y, w) {
    const g = svg("g", { class: "state-bar" });
    let at = x;
    const total = Math.max(1, s.total);
    for (const st of STATES) {
      const n = s[st];
      if (n <= 0) continue;
      const sw = (n / total) * w;
      g.append(svg("rect", { class: `seg ${st}`, x: at, y, width: sw, height: 10, "data-state": st }, svg("title", {}, `${n} ${st}`)));
      at += sw;
    }
    return g;
  }

  function drawGraph(g) {
    const root = $("graph");
    const { pos, width, height } = layout(g.stages);
    root.setAttribute("width", String(width));
    root.setAttribute("height", String(height));
    root.setAttribute("viewBox", `0 0 ${width} ${height}`);
    const defs = svg("defs", {}, svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" },
      svg("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: "#8a93a6" })));
    const edges = g.edges.filter((e) => pos.has(e.from) && pos.has(e.to)).map((e) => {
      const a = pos.get(e.from);
      const b = pos.get(e.to);
      const x1 = a.x + BOX_W;
      const y1 = a.y + BOX_H / 2;
      const x2 = b.x;
      const y2 = b.y + BOX_H / 2;
      const mx = (x1 + x2) / 2;
      const path = svg("path", { class: "edge", d: `M ${x1} ${y1} C ${mx} ${y1}, ${mx} ${y2}, ${x2} ${y2}`, "marker-end": "url(#arrow)" });
      const label = svg("text", { class: "edge-label", x: mx, y: (y1 + y2) / 2 - 4, "text-anchor": "middle" }, e.nbytes > 0 ? bytes(e.nbytes) : "");
      return svg("g", { class: "flow", "data-from": e.from, "data-to": e.to, "data-bytes": e.nbytes }, path, label);
    });
    const boxes = g.stages.map((s) => {
      const p = pos.get(s.name);
      const state = stageState(s);
      return svg("g", { class: "stage", "data-stage": s.name, "data-state": state, "data-done": s.done, "data-total": s.total, transform: `translate(${p.x} ${p.y})` },
        svg("rect", { class: "box", width: BOX_W, height: BOX_H, rx: 7 }),
        svg("text", { class: "name", x: 12, y: 21 }, clip(s.name, 28)),
        svg("text", { class: "title", x: 12, y: 38 }, clip(s.title, 36), svg("title", {}, s.title)),
        svg("text", { class: "count", x: 12, y: 58 }, `${s.done}/${s.total} tasks · ${bytes(s.nbytes)}`),
        stateBar(s, 12, 70, BOX_W - 24));
    });
    root.replaceChildren(defs, ...edges, ...boxes);
    $("graph-empty").classList.toggle("hidden", g.stages.length > 0);
  }

  function drawTable(g) {
    const rows = g.stages.map((s) => {
      const frac = s.total > 0 ? s.done / s.total : 0;
      const fill = el("div", { class: `fill ${stageState(s) === "done" ? "done" : ""}` });
      fill.style.width = `${(frac * 100).toFixed(1)}%`;
      const b = el("div", { class: "bar" }, fill, el("div", { class: "text" }, `${s.done}/${s.total}`));
      return el("tr", { "data-stage": s.name }, el("td", { class: "id" }, s.name), el("td", { class: "title" }, s.title), el("td", {}, b),
        el("td", { class: "num" }, String(s.processing)), el("td", { class: "num" }, bytes(s.nbytes)));
    });
    document.querySelector("#stages tbody").replaceChildren(...rows);
  }

  function draw(g) {
    $("job-id").textContent = `${g.clientId}/${g.jobId}`;
    const pill = $("job-state");
    pill.textContent = g.state;
    pill.dataset.state = g.state;
    pill.className = `pill ${g.state === "done" ? "pill-ok" : g.state === "running" ? "pill-wait" : "pill-bad"}`;
    const tasks = g.stages.reduce((n, s) => n + s.total, 0);
    $("graph-note").textContent = `${g.stages.length} stages · ${tasks} tasks`;
    $("explain").textContent = g.explain ?? "(no plan was sent with this job's graph)";
    drawGraph(g);
    drawTable(g);
  }

  async function poll() {
    let again = true;
    try {
      const res = await fetch(`/api/graph?job=${encodeURIComponent(job)}`, { cache: "no-store" });
      if (res.status === 401) { location.href = "/login"; return; }
      const body = await res.json();
      if (!res.ok) throw new Error(body.error || res.statusText);
      draw(body);
      document.body.dataset.loaded = "true";
      again = body.state === "running";
    } catch (e) {
      const pill = $("job-state");
      pill.textContent = String(e.message || e);
      pill.className = "pill pill-bad";
      pill.dataset.state = "error";
    }
    if (again) setTimeout(poll, POLL_MS);
  }

  poll();
})();
