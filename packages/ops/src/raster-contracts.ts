// The raster ops' contracts: args checks that bound what a handler allocates (window and grid sizes, band, zone and
// vertex counts, warp scales), and the URLs each task reads and writes.
import { assertNever } from "@tessera/common";
import type { Check } from "@tessera/protocol";
import { PIXEL_STATS, RASTERIZE_AGGS, RESAMPLING, ZONAL_STATS } from "@tessera/raster";
import { bool, expr, int, list, literal, name, nullable, obj, schema, str, tagged, url } from "./checks.js";
import type { OpContract, StorageAccess } from "./op-contract.js";
import { MAX_SPLIT } from "./checks.js";
import type { Step } from "./steps.js";
import type {
  BandSpec, ChunkSource, CogArgs, RasterChunkArgs, RasterOpArgs, RasterStep, SpaceMergeArgs, TileArgs, TileCommitArgs, ZonalMergeArgs,
} from "./raster-op-args.js";

/** Most pixels one chunk (or one COG) may hold: bounds every band a handler allocates. */
export const MAX_RASTER_PIXELS = 2 ** 28;
/** Most bands of one chunk, zones of one task, and vertices over all of a task's zone rings. */
export const MAX_BANDS = 4096;
export const MAX_ZONES = 1_000_000;
export const MAX_ZONE_VERTICES = 20_000_000;
/** Warps resample by at most this ratio either way (a bilinear tent reaches 1/scale source pixels). */
export const MAX_WARP_RATIO = 1 << 16;
const MAX_SIDE = 2 ** 31 - 1;

const finite: Check = (v) => (typeof v === "number" && Number.isFinite(v) ? null : "expected a finite number");
const numberOrNull: Check = (v) => (v === null || typeof v === "number" ? null : "expected a number or null");
const time: Check = (v) => (v === null ? null : finite(v));

/** A list of exactly `n` items each passing `item`. */
function tuple(item: Check, n: number): Check {
  return (v) => list(item, n)(v) ?? ((v as unknown[]).length !== n ? `expected ${n} items` : null);
}

/** A grid: a CRS spelling, six finite coefficients, whole non-negative sizes. */
const checkedGrid: Check = obj({ crs: str(4096), transform: tuple(finite, 6), width: int(0, MAX_SIDE), height: int(0, MAX_SIDE) });

/** A window of at most MAX_RASTER_PIXELS pixels. */
const windowShape = obj({ x: int(-MAX_SIDE, MAX_SIDE), y: int(-MAX_SIDE, MAX_SIDE), width: int(0, MAX_SIDE), height: int(0, MAX_SIDE) });
const window: Check = (v) => {
  const e = windowShape(v);
  if (e !== null) return e;
  const w = v as { width: number; height: number };
  return w.width * w.height > MAX_RASTER_PIXELS ? `a window of ${w.width}×${w.height} pixels is over the ${MAX_RASTER_PIXELS}-pixel bound` : null;
};
const pixelsOf = (g: { width: number; height: number }): string | null =>
  g.width * g.height > MAX_RASTER_PIXELS ? `a raster of ${g.width}×${g.height} pixels is over the ${MAX_RASTER_PIXELS}-pixel bound` : null;

const dtypes = literal("uint8", "int8", "uint16", "int16", "uint32", "int32", "float32", "float64");
const bandSpec = obj<BandSpec>({ name, dtype: dtypes, nodata: numberOrNull });
const bandSpecs = list(bandSpec, MAX_BANDS);
const resampling = literal(...Object.keys(RESAMPLING));
const zonalStats = list(literal(...ZONAL_STATS), ZONAL_STATS.length);
const ratio: Check = (v) => (typeof v === "number" && v >= 1 / MAX_WARP_RATIO && v <= MAX_WARP_RATIO ? null : `a warp scale must lie in [1/${MAX_WARP_RATIO}, ${MAX_WARP_RATIO}]`);
const zoneId: Check = (v) => (typeof v === "string" || typeof v === "number" ? null : "a zone id is a string or a number");

/** Zones with at most MAX_ZONE_VERTICES coordinates over all their rings. */
const zones: Check = (v) => {
  const e = list(obj({ id: zoneId, rings: list(list(finite, MAX_ZONE_VERTICES), MAX_ZONE_VERTICES) }), MAX_ZONES)(v);
  if (e !== null) return e;
  let n = 0;
  for (const z of v as { rings: number[][] }[]) for (const r of z.rings) n += r.length;
  return n > MAX_ZONE_VERTICES ? `zones with ${n} coordinates are over the ${MAX_ZONE_VERTICES} bound` : null;
};

/** The gridSplit step of a pipeline: a grid and a window shape making at most MAX_SPLIT windows. */
export const gridSplitCheck: Check = (v) => {
  const e = obj<Extract<Step, { t: "gridSplit" }>>({
    t: str(), grid: checkedGrid, shape: obj({ width: int(1, MAX_SIDE), height: int(1, MAX_SIDE) }), x: name, y: name, crs: nullable(str(4096)),
  })(v);
  if (e !== null) return e;
  const s = v as Extract<Step, { t: "gridSplit" }>;
  const n = Math.ceil(s.grid.width / s.shape.width) * Math.ceil(s.grid.height / s.shape.height);
  return n > MAX_SPLIT ? `a split into ${n} windows is over the ${MAX_SPLIT} bound` : null;
};

type SourceOf<T extends ChunkSource["type"]> = Extract<ChunkSource, { type: T }>;
type StepOf<T extends RasterStep["t"]> = Extract<RasterStep, { t: T }>;

const SOURCE_CHECKS: { readonly [T in ChunkSource["type"]]: Check } = {
  read: obj<SourceOf<"read">>({ type: str(), url, window, bands: list(int(0, MAX_BANDS - 1), MAX_BANDS), overview: int(0, 64), time }),
  mosaic: obj<SourceOf<"mosaic">>({ type: str(), grid: checkedGrid, window, bands: bandSpecs, time }),
  blank: obj<SourceOf<"blank">>({ type: str(), grid: checkedGrid, window, bands: bandSpecs, time }),
  rasterize: obj<SourceOf<"rasterize">>({
    type: str(), grid: checkedGrid, window, x: name, y: name, crs: nullable(str(4096)), value: nullable(name), agg: literal(...RASTERIZE_AGGS), name,
  }),
  timeMerge: obj<SourceOf<"timeMerge">>({ type: str(), stats: list(literal(...PIXEL_STATS), PIXEL_STATS.length) }),
};

const STEP_CHECKS: { readonly [T in RasterStep["t"]]: Check } = {
  bandMath: obj<StepOf<"bandMath">>({ t: str(), exprs: list(expr, MAX_BANDS) }),
  warp: obj<StepOf<"warp">>({ t: str(), srcGrid: checkedGrid, dstGrid: checkedGrid, dstWindow: window, method: resampling, scale: tuple(ratio, 2) }),
  timePartial: obj<StepOf<"timePartial">>({ t: str() }),
  zonalPartial: obj<StepOf<"zonalPartial">>({ t: str(), zones, rule: literal("center", "allTouched"), bands: list(name, MAX_BANDS) }),
  spacePartial: obj<StepOf<"spacePartial">>({ t: str(), bands: list(name, MAX_BANDS) }),
  toRows: obj<StepOf<"toRows">>({ t: str(), bands: list(name, MAX_BANDS), lonLat: bool, dropInvalid: bool, fields: schema }),
};

function sourceReads(s: ChunkSource): readonly string[] {
  switch (s.type) {
    case "read": return [s.url];
    case "mosaic": case "blank": case "rasterize": case "timeMerge": return [];
    default: return assertNever(s, "chunk source");
  }
}

const NONE: StorageAccess = { reads: [], writes: [] };
const tileId = obj({ z: int(0, 30), x: int(0, MAX_SIDE), y: int(0, MAX_SIDE) });
const colour: Check = (v) => list(int(0, 255), 4)(v) ?? ((v as unknown[]).length < 3 ? "a colour is [r, g, b] or [r, g, b, a]" : null);
const stop: Check = (v) => (Array.isArray(v) && v.length === 2 ? finite(v[0]) ?? colour(v[1]) : "a colormap stop is [value, [r, g, b(, a)]]");
const colormap = obj({ stops: list(stop, 256) });
const format = literal("png", "f32");
const zoom = int(0, 24);

/** "z/x/y.ext" below a pyramid's url (every part an integer, so no path can be made from args). */
export function tilePath(t: { z: number; x: number; y: number }, format: "png" | "f32"): string {
  return `${t.z}/${t.x}/${t.y}.${format === "png" ? "png" : "f32"}`;
}

const under = (dir: string, path: string): string => `${dir.replace(/\/+$/, "")}/${path}`;

/** The contract of every raster op (merged into OP_CONTRACTS). */
export const RASTER_CONTRACTS: { readonly [K in keyof RasterOpArgs]: OpContract<RasterOpArgs[K]> } = {
  "raster-chunk": {
    check: obj<RasterChunkArgs>({ source: tagged("type", SOURCE_CHECKS), steps: list(tagged("t", STEP_CHECKS), 64) }),
    storage: (a) => ({ reads: sourceReads(a.source), writes: [] }),
  },
  "raster-zonal-merge": {
    check: obj<ZonalMergeArgs>({
      finalize: nullable(obj({ zones: list(zoneId, MAX_ZONES), bands: list(name, MAX_BANDS), stats: zonalStats, times: list(time, 1_000_000), fields: schema })),
    }),
    storage: () => NONE,
  },
  "raster-space-merge": {
    check: obj<SpaceMergeArgs>({ finalize: nullable(obj({ stats: zonalStats, fields: schema })) }),
    storage: () => NONE,
  },
  "raster-cog": {
    check: (v) => obj<CogArgs>({
      url, grid: checkedGrid, bands: bandSpecs,
      options: obj({
        tileSize: int(16, 4096), compression: literal("deflate", "none"), level: int(1, 9), predictor: nullable(literal(1, 2, 3)),
        overviews: nullable(list(int(2, 1 << 20), 32)), overviewResampling: resampling,
      }),
    })(v) ?? pixelsOf((v as CogArgs).grid),
    storage: (a) => ({ reads: [], writes: [a.url] }),
  },
  "raster-tile": {
    check: obj<TileArgs>({ url, tile: tileId, format, colormap: nullable(colormap), band: int(0, MAX_BANDS - 1) }),
    storage: (a) => ({ reads: [], writes: [under(a.url, tilePath(a.tile, a.format))] }),
  },
  "raster-tile-commit": {
    check: obj<TileCommitArgs>({ url, token: str(128), format, minZoom: zoom, maxZoom: zoom }),
    storage: (a) => ({ reads: [a.url], writes: [] }),
  },
};
