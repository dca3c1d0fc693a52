// Explain text for rasters: one node per line, showing what each read decodes (bands pushed down, overview used),
// how the raster is chunked, and the halo each warp reads around its chunks.
import type { Grid } from "@tessera/raster";
import { fullWindow, kernelReach, planWarp } from "@tessera/raster";
import { namedToString } from "../expr-text.js";
import type { FromRasterNode, PlanNode, RasterNode, RasterSinkNode } from "../nodes.js";
import type { RasterInfo } from "./raster-info.js";
import { bandMathExprs } from "./raster-info.js";
import type { RasterScanNode } from "./raster-nodes.js";
import { isResolvedRaster, rasterInput, windowsOnDemand } from "./raster-nodes.js";

/** How explain learns a node's shape and prints a frame, supplied by the caller (no import of schema or explain). */
export interface RasterExplainer {
  info(n: RasterNode): RasterInfo;
  frameLines(p: PlanNode, depth: number): string[];
}

const list = (xs: readonly string[]): string => `[${xs.join(", ")}]`;
const day = (t: number | null): string => (t === null ? "none" : new Date(t).toISOString().slice(0, 10));

function gridText(g: Grid): string {
  return `${g.crs === "" ? "(no CRS)" : g.crs} ${g.width}×${g.height} px=${Math.abs(g.transform[1])}×${Math.abs(g.transform[5])}`;
}

function chunkText(info: RasterInfo): string {
  const across = Math.ceil(info.grid.width / info.chunk.width);
  const down = Math.ceil(info.grid.height / info.chunk.height);
  const times = info.times.length > 1 ? ` × ${info.times.length} times` : "";
  return `chunks=${across * down}${times} of ${info.chunk.width}×${info.chunk.height}`;
}

function scanLine(n: RasterScanNode, info: RasterInfo): string {
  const s = n.source;
  const parts = ["RasterScan"];
  if (s.format === "geotiff") parts.push(`geotiff url=${JSON.stringify(s.url)}`);
  else parts.push(`stack files=${s.items.length} times=${list(info.times.map(day))}`);
  if (!isResolvedRaster(s)) return [...parts, "unresolved"].join(" ");
  const meta = s.format === "geotiff" ? s.meta : s.first;
  const k = n.overview ?? 0;
  parts.push(`grid=${gridText(info.grid)}`, meta.dtype, `blocks=${meta.block.blockWidth}×${meta.block.blockHeight}`, chunkText(info));
  const chosen = n.bands ?? meta.bands;
  const read = info.bands.map((b) => b.name);
  parts.push(`bands=${list(read)}${read.length < chosen.length ? ` (pushed down; of ${list(chosen)})` : ""}`);
  parts.push(k === 0 ? `overview=none (full resolution; file has ${meta.overviews.length})` : `overview=${k} (of ${meta.overviews.length})`);
  return parts.join(" ");
}

function warpLine(head: string, n: RasterNode & { kind: "regrid" | "reproject" }, info: RasterInfo, input: RasterInfo): string {
  const { scale } = planWarp(input.grid, info.grid, n.method, [fullWindow(info.grid)], input.where);
  const [rx, ry] = kernelReach(n.method, scale);
  const how = windowsOnDemand(n.input) ? "each chunk reads its source window, halo included" : "each chunk mosaics the input chunks under its source window";
  return `${head} method=${n.method} grid=${gridText(info.grid)} ${chunkText(info)} halo=${rx === ry ? rx : `${rx}×${ry}`} px (${how})`;
}

/** Lines of a raster tree, indented by depth. */
export function rasterLines(n: RasterNode, depth: number, ex: RasterExplainer): string[] {
  const info = ex.info(n);
  const pad = "  ".repeat(depth);
  let line: string;
  switch (n.kind) {
    case "rasterScan": line = scanLine(n, info); break;
    case "bandMath": {
      const input = ex.info(n.input);
      const exprs = n.append ? n.exprs : bandMathExprs(n.exprs, false, input.bands);
      line = `${n.append ? "WithBands" : "BandMath"} ${list(exprs.map(namedToString))} (fused per chunk)`;
      break;
    }
    case "regrid": line = warpLine("Regrid", n, info, ex.info(n.input)); break;
    case "reproject": line = warpLine(`Reproject to=${n.crs}`, n, info, ex.info(n.input)); break;
    case "reduceTime": line = `ReduceTime stats=${list(n.stats)} over ${ex.info(n.input).times.length} times ${chunkText(info)}`; break;
    case "rasterize": {
      const value = n.value === null ? "" : ` value=${n.value}`;
      return [
        `${pad}Rasterize agg=${n.agg}${value} x=${n.x} y=${n.y} band=${n.name} grid=${gridText(info.grid)} ${chunkText(info)}`,
        ...ex.frameLines(n.frame, depth + 1),
      ];
    }
  }
  const input = rasterInput(n);
  return [pad + line, ...(input === null ? [] : rasterLines(input, depth + 1, ex))];
}

/** The line of a frame node made from a raster (the raster's lines follow, one level deeper). */
export function fromRasterLine(n: FromRasterNode): string {
  const v = n.view;
  switch (v.t) {
    case "rows": return `RasterToFrame lon_lat=${v.lonLat} drop_invalid=${v.dropInvalid}`;
    case "zonal": return `ZonalStats zones=${v.zones.length} crs=${v.crs} rule=${v.rule} stats=${list(v.stats)} (reads only chunks under zones; partial → merge tree)`;
    case "stats": return `RasterStats stats=${list(v.stats)} (partial → merge tree)`;
  }
}

/** Lines of a raster job: its sink, then the raster. */
export function rasterSinkLines(n: RasterSinkNode, ex: RasterExplainer): string[] {
  const s = n.sink;
  const head = s.t === "geotiff"
    ? `SinkGeoTiff url=${JSON.stringify(s.url)} cog tile=${s.options.tileSize} compression=${s.options.compression} predictor=${s.options.predictor ?? "auto"} overviews=${s.options.overviews === null ? "auto" : list(s.options.overviews.map(String))}`
    : `SinkTiles url=${JSON.stringify(s.url)} zooms=${s.minZoom}..${s.maxZoom} format=${s.format} resampling=${s.resampling} band=${s.band ?? ex.info(n.input).bands[0]?.name ?? "?"} tile=${s.tileSize}`;
  return [head, ...rasterLines(n.input, 1, ex)];
}
