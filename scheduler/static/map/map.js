// The map page: lists runs (/api/map/runs), draws a feature's tiles for one time and zoom on a canvas (decoded here),
// and charts the time series of the region nearest a click (/api/map/region, then the region's CSV).
import { decodeTile } from "./tile-decoder.js";
import { TILE_PX, binOrigin, fromPixel, fromTileUnits, toPixel, toTileUnits } from "./projection.js";
import { colorOf, cssColor } from "./colors.js";

const $ = (id) => document.getElementById(id);
const canvas = $("map");
const ctx = canvas.getContext("2d");
/** Bins per tile side are 2^BIN_LEVEL; a tile at zoom z holds cells of level z + BIN_LEVEL (Causemos: 6, 64 × 64). */
const BIN_LEVEL = 6;
const MAX_ZOOM = 8;

const state = { runs: [], run: null, feature: null, res: "month", times: [], t: null, z: 4, cx: 0, cy: 0, chart: null, hit: null, drawId: 0 };

async function getJson(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: ${r.status} ${(await r.text()).slice(0, 200)}`);
  return r.json();
}

function q(params) {
  return new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
}

function fillSelect(select, values, selected) {
  select.replaceChildren(...values.map((v) => {
    const o = document.createElement("option");
    o.value = v;
    o.textContent = v;
    o.selected = v === selected;
    return o;
  }));
}

function timeLabel(t, res) {
  const d = new Date(t);
  return res === "year" ? String(d.getUTCFullYear()) : `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

function status(text) {
  $("status").textContent = text;
}

/** Light graticule lines and their labels: the base layer (no external map data). */
function drawBase(view) {
  ctx.fillStyle = "#dfe7ef";
  ctx.fillRect(0, 0, view.width, view.height);
  const nw = fromTileUnits(fromPixel(0, 0, view).x, fromPixel(0, 0, view).y, view.z);
  const se = fromTileUnits(fromPixel(view.width, view.height, view).x, fromPixel(view.width, view.height, view).y, view.z);
  const span = Math.max(se.lng - nw.lng, 1e-6);
  const step = [0.5, 1, 2, 5, 10, 20, 30, 45].find((s) => span / s <= 12) ?? 90;
  ctx.strokeStyle = "#c4cfdb";
  ctx.fillStyle = "#7b8799";
  ctx.lineWidth = 1;
  ctx.font = "11px system-ui, sans-serif";
  for (let lng = Math.ceil(nw.lng / step) * step; lng <= se.lng; lng += step) {
    const { px } = toPixel(toTileUnits(0, lng, view.z).x, 0, view);
    ctx.strokeStyle = lng === 0 ? "#9fb0c4" : "#c4cfdb";
    ctx.beginPath(); ctx.moveTo(Math.round(px) + 0.5, 0); ctx.lineTo(Math.round(px) + 0.5, view.height); ctx.stroke();
    ctx.fillText(`${lng}°`, px + 3, view.height - 4);
  }
  for (let lat = Math.ceil(se.lat / step) * step; lat <= nw.lat; lat += step) {
    const { py } = toPixel(0, toTileUnits(lat, 0, view.z).y, view);
    ctx.strokeStyle = lat === 0 ? "#9fb0c4" : "#c4cfdb";
    ctx.beginPath(); ctx.moveTo(0, Math.round(py) + 0.5); ctx.lineTo(view.width, Math.round(py) + 0.5); ctx.stroke();
    ctx.fillText(`${lat}°`, 3, py - 3);
  }
}

/** The value range of bin means at a zoom, from the run's grid stats (cell level = zoom + 6, Q6). */
async function scaleFor(run, res, feature, t, z) {
  const key = `${res}/${feature}/stats/grid/${t}.csv`;
  const r = await fetch(`/api/map/object?${q({ run, key })}`);
  if (!r.ok) return null;
  const lines = (await r.text()).trim().split("\n").map((l) => l.split(","));
  const header = lines[0];
  const row = lines.slice(1).find((l) => Number(l[0]) === z + BIN_LEVEL);
  if (row === undefined) return null;
  const min = Number(row[header.indexOf("min_s_mean_t_mean")]), max = Number(row[header.indexOf("max_s_mean_t_mean")]);
  return Number.isFinite(min) && Number.isFinite(max) ? { min, max } : null;
}

/** Draws the current view: the base layer, then every bin of every tile of the time and zoom, coloured by its mean. */
async function draw() {
  const id = ++state.drawId;
  const view = { z: state.z, cx: state.cx, cy: state.cy, width: canvas.width, height: canvas.height };
  canvas.dataset.state = "loading";
  const { run, feature, res, t, z } = { ...state };
  drawBase(view);
  if (run === null || feature === null || t === null) { canvas.dataset.state = "empty"; return; }
  const [{ tiles }, scale] = await Promise.all([getJson(`/api/map/tiles?${q({ run: run.id, res, feature, t, z })}`), scaleFor(run.id, res, feature, t, z)]);
  const visible = tiles.filter(([x, y]) => {
    const a = toPixel(x, y, view), b = toPixel(x + 1, y + 1, view);
    return b.px >= 0 && a.px <= view.width && b.py >= 0 && a.py <= view.height;
  });
  const decoded = await Promise.all(visible.map(async ([x, y]) => {
    const r = await fetch(`/api/map/object?${q({ run: run.id, key: `${res}/${feature}/tiles/${t}-${z}-${x}-${y}.tile` })}`);
    if (!r.ok) throw new Error(`tile ${z}/${x}/${y}: ${r.status}`);
    return decodeTile(new Uint8Array(await r.arrayBuffer()));
  }));
  if (id !== state.drawId) return;
  let lo = Infinity, hi = -Infinity;
  for (const tile of decoded) for (const s of tile.bins.values()) if (s.weight > 0) { const m = s.s_sum_t_mean / s.weight; lo = Math.min(lo, m); hi = Math.max(hi, m); }
  const range = scale ?? { min: lo, max: hi };
  const bin = TILE_PX / 2 ** BIN_LEVEL;
  let bins = 0;
  for (const tile of decoded) {
    for (const [b, s] of tile.bins) {
      if (!(s.weight > 0)) continue;
      const o = binOrigin(tile.coord.x, tile.coord.y, b, BIN_LEVEL);
      const { px, py } = toPixel(o.x, o.y, view);
      ctx.fillStyle = cssColor(colorOf(s.s_sum_t_mean / s.weight, range.min, range.max));
      ctx.fillRect(Math.round(px), Math.round(py), bin, bin);
      bins++;
    }
  }
  $("legend-min").textContent = Number.isFinite(range.min) ? range.min.toPrecision(4) : "–";
  $("legend-max").textContent = Number.isFinite(range.max) ? range.max.toPrecision(4) : "–";
  $("legend-what").textContent = `${feature}: mean per point, ${timeLabel(t, res)}${scale === null ? "" : " (scale from grid stats)"}`;
  Object.assign(canvas.dataset, {
    state: "ready", tiles: String(decoded.length), bins: String(bins), zoom: String(z), centerX: String(state.cx), centerY: String(state.cy),
    scaleMin: String(range.min), scaleMax: String(range.max), time: String(t),
  });
  $("zoom-label").textContent = `z ${z}`;
  status(`${decoded.length} tiles, ${bins} bins at zoom ${z} (${run.id})`);
}

function redraw() {
  draw().catch((e) => { canvas.dataset.state = "error"; status(String(e.message ?? e)); });
}

/** Centres the view on the tiles the feature has at the current zoom (their mean position). */
async function centerOnData() {
  const { run, feature, res, t, z } = state;
  if (run === null || feature === null || t === null) return;
  const { tiles } = await getJson(`/api/map/tiles?${q({ run: run.id, res, feature, t, z })}`);
  if (tiles.length === 0) return;
  const xs = tiles.map(([x]) => x), ys = tiles.map(([, y]) => y);
  state.cx = (Math.min(...xs) + Math.max(...xs) + 1) / 2;
  state.cy = (Math.min(...ys) + Math.max(...ys) + 1) / 2;
}

function setTimes() {
  const run = state.run;
  state.times = run?.timestamps?.[state.res]?.[state.feature] ?? [];
  const slider = $("time");
  slider.max = String(Math.max(0, state.times.length - 1));
  if (Number(slider.value) > state.times.length - 1) slider.value = "0";
  state.t = state.times[Number(slider.value)] ?? null;
  $("time-label").textContent = state.t === null ? "–" : timeLabel(state.t, state.res);
}

async function chooseRun(id) {
  state.run = state.runs.find((r) => r.id === id) ?? null;
  const features = state.run === null ? [] : state.run.features.filter((f) => state.run.timestamps.month?.[f] !== undefined || state.run.timestamps.year?.[f] !== undefined);
  state.feature = features[0] ?? null;
  fillSelect($("feature"), features, state.feature);
  fillSelect($("level"), state.run?.levels ?? [], state.run?.levels?.[1] ?? state.run?.levels?.[0]);
  setTimes();
  await centerOnData();
  redraw();
}

async function showRegion() {
  const hit = state.hit;
  if (hit === null || state.run === null) return;
  const level = $("level").value;
  const id = hit.ids[level];
  $("region-title").textContent = id === undefined ? "No region at this level" : id.split("__").join(" › ");
  $("region-note").textContent = `nearest point ${hit.lat.toFixed(3)}, ${hit.lng.toFixed(3)} (${hit.distanceKm.toFixed(1)} km from the click); ${state.feature}, ${state.res}`;
  if (id === undefined) return;
  const key = `${state.res}/${state.feature}/regional/${level}/timeseries/default/${id}.csv`;
  const r = await fetch(`/api/map/object?${q({ run: state.run.id, key })}`);
  if (!r.ok) { $("region-note").textContent = `no time series for ${id} (${r.status})`; return; }
  const lines = (await r.text()).trim().split("\n").map((l) => l.split(","));
  const header = lines[0];
  const rows = lines.slice(1);
  const ti = header.indexOf("timestamp"), mi = header.indexOf("s_mean_t_mean");
  const labels = rows.map((row) => timeLabel(Number(row[ti]), state.res));
  const data = rows.map((row) => (row[mi] === "" ? null : Number(row[mi])));
  state.chart?.destroy();
  state.chart = new window.Chart($("chart"), {
    type: "line",
    data: { labels, datasets: [{ label: `${state.feature}: mean over ${id}'s points (s_mean_t_mean)`, data, borderColor: "#2f6fde", backgroundColor: "rgba(47,111,222,0.15)", pointRadius: 2, tension: 0.2 }] },
    options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { y: { title: { display: true, text: state.feature } } } },
  });
  $("chart").dataset.points = String(rows.length);
  $("chart").dataset.region = id;
}

canvas.addEventListener("click", async (ev) => {
  if (state.run === null || state.dragged) return;
  const rect = canvas.getBoundingClientRect();
  const u = fromPixel(ev.clientX - rect.left, ev.clientY - rect.top, { z: state.z, cx: state.cx, cy: state.cy, width: canvas.width, height: canvas.height });
  const { lat, lng } = fromTileUnits(u.x, u.y, state.z);
  const r = await fetch(`/api/map/region?${q({ run: state.run.id, lat, lng })}`);
  if (!r.ok) { $("region-title").textContent = "No regions known"; $("region-note").textContent = (await r.json()).error; return; }
  state.hit = await r.json();
  await showRegion();
});

let drag = null;
canvas.addEventListener("mousedown", (ev) => { drag = { x: ev.clientX, y: ev.clientY, cx: state.cx, cy: state.cy }; state.dragged = false; });
window.addEventListener("mousemove", (ev) => {
  if (drag === null) return;
  const dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
  if (Math.abs(dx) + Math.abs(dy) > 3) state.dragged = true;
  state.cx = drag.cx - dx / TILE_PX;
  state.cy = drag.cy - dy / TILE_PX;
});
window.addEventListener("mouseup", () => { if (drag !== null && state.dragged) redraw(); drag = null; });

function zoomBy(d) {
  const z = Math.min(MAX_ZOOM, Math.max(0, state.z + d));
  if (z === state.z) return;
  const f = 2 ** (z - state.z);
  state.cx *= f;
  state.cy *= f;
  state.z = z;
  redraw();
}
$("zoom-in").addEventListener("click", () => zoomBy(1));
$("zoom-out").addEventListener("click", () => zoomBy(-1));
$("run").addEventListener("change", () => { void chooseRun($("run").value); });
$("feature").addEventListener("change", () => { state.feature = $("feature").value; setTimes(); redraw(); void showRegion(); });
$("res").addEventListener("change", () => { state.res = $("res").value; setTimes(); redraw(); void showRegion(); });
$("time").addEventListener("input", () => { setTimes(); redraw(); });
$("level").addEventListener("change", () => { void showRegion(); });

async function start() {
  const { runs } = await getJson("/api/map/runs");
  state.runs = runs.filter((r) => r.hasTiles || r.levels.length > 0);
  fillSelect($("run"), state.runs.map((r) => r.id), state.runs[0]?.id);
  if (state.runs.length === 0) { status("no runs with tiles or regional outputs under this output root"); canvas.dataset.state = "empty"; return; }
  const params = new URLSearchParams(location.search);
  if (params.has("z")) state.z = Math.min(MAX_ZOOM, Math.max(0, Number(params.get("z")) || 0));
  await chooseRun(params.get("run") ?? state.runs[0].id);
}

start().catch((e) => { canvas.dataset.state = "error"; status(String(e.message ?? e)); });
