// Raster plans: validation at plan time (coded errors naming the band, CRS, grid and file), band pushdown, explain
// text (chunking, halos, overviews, bands), and lowering into fused chunk tasks with their storage access.
import { describe, expect, it } from "vitest";
import { col } from "@tessera/expr";
import type { RasterChunkArgs } from "@tessera/ops";
import { storageOf } from "@tessera/ops";
import type { FromRasterNode, PlanNode, RasterNode, RasterScanNode, RasterSinkNode } from "@tessera/plan";
import { checkRasterSink, explainPlan, explainRaster, lowerPlan, lowerRasterJob, narrowBands, rasterInfo, schemaOf } from "@tessera/plan";
import type { Grid, RasterMeta } from "@tessera/raster";

const UTM: Grid = { crs: "EPSG:32633", transform: [500000, 10, 0, 4600000, 0, -10], width: 1024, height: 1024 };

function meta(url: string, over: Partial<RasterMeta> = {}): RasterMeta {
  return {
    url, bytes: 4_000_000, grid: UTM, bands: ["blue", "green", "red", "nir"], dtype: "uint16", nodata: 0, block: { blockWidth: 256, blockHeight: 256 },
    tiled: true, compression: "DEFLATE", predictor: 2, interleave: "pixel", bigTiff: false, pixelIsPoint: false,
    overviews: [{ grid: { ...UTM, transform: [500000, 20, 0, 4600000, 0, -20], width: 512, height: 512 }, block: { blockWidth: 256, blockHeight: 256 }, tiled: true }],
    ...over,
  };
}

const scan = (chunkSize = 512, over: Partial<RasterScanNode> = {}): RasterScanNode => ({
  kind: "rasterScan", source: { format: "geotiff", url: "s3://b/scene.tif", meta: meta("s3://b/scene.tif") }, chunkSize, bands: null, overview: null, pushed: null, ...over,
});
const ndvi = (input: RasterNode): RasterNode => ({
  kind: "bandMath", input, append: false,
  exprs: [col("nir").cast("float64").sub(col("red")).div(col("nir").cast("float64").add(col("red"))).alias("ndvi").node],
});
const regrid = (input: RasterNode, grid: Grid, method: "nearest" | "bilinear" | "average" = "bilinear"): RasterNode => ({ kind: "regrid", input, grid, method });
const coarse: Grid = { crs: "EPSG:32633", transform: [500000, 40, 0, 4600000, 0, -40], width: 256, height: 256 };
const frameSchema = (p: PlanNode) => schemaOf(p);
const info = (n: RasterNode) => rasterInfo(n, frameSchema);

function errorOf(f: () => unknown): { code?: string; category?: string; message: string } {
  try { f(); } catch (e) { return e as { code?: string; category?: string; message: string }; }
  throw new Error("expected an error");
}

describe("raster plan validation", () => {
  it("names an unknown band and the file, listing the bands that exist", () => {
    const e = errorOf(() => info({ kind: "bandMath", input: scan(), exprs: [col("swir").node], append: false }));
    expect(e).toMatchObject({ code: "RASTER_UNKNOWN_BAND", category: "plan" });
    expect(e.message).toBe('band "swir" not found in s3://b/scene.tif; bands: blue, green, red, nir');
    expect(errorOf(() => info(scan(512, { bands: ["red", "vv"] })))).toMatchObject({ code: "RASTER_UNKNOWN_BAND", message: expect.stringContaining("scene.tif") });
  });

  it("names a CRS the projection library cannot handle, and the file", () => {
    const e = errorOf(() => info({ kind: "reproject", input: scan(), crs: "EPSG:2154", method: "nearest", resolution: null }));
    expect(e).toMatchObject({ code: "RASTER_UNSUPPORTED_CRS", category: "plan" });
    expect(e.message).toMatch(/"EPSG:2154" \(s3:\/\/b\/scene\.tif\)/);
  });

  it("refuses bad grids: singular, empty, non-finite, off the raster; and bad chunk sizes and overviews", () => {
    expect(errorOf(() => info(regrid(scan(), { ...coarse, transform: [500000, 40, 0, 4600000, 0, 0] })))).toMatchObject({ code: "RASTER_BAD_GRID", message: expect.stringMatching(/singular/) });
    expect(errorOf(() => info(regrid(scan(), { ...coarse, width: 0 })))).toMatchObject({ code: "RASTER_BAD_GRID" });
    expect(errorOf(() => info(regrid(scan(), { ...coarse, transform: [Number.NaN, 40, 0, 0, 0, -40] })))).toMatchObject({ code: "RASTER_BAD_GRID" });
    expect(errorOf(() => info(regrid(scan(), { ...coarse, transform: [900000, 40, 0, 4600000, 0, -40] })))).toMatchObject({ code: "RASTER_NO_OVERLAP", message: expect.stringContaining("scene.tif") });
    expect(errorOf(() => info(scan(0)))).toMatchObject({ code: "RASTER_BAD_CHUNK_SIZE" });
    expect(errorOf(() => info(scan(512, { overview: 3 })))).toMatchObject({ code: "RASTER_NO_OVERVIEW", message: "s3://b/scene.tif has no overview 3; it has 1" });
  });

  it("checks sinks against the raster: one time slice, one pixel type, a writable CRS", () => {
    const stack: RasterScanNode = {
      ...scan(), source: {
        format: "stack", items: [{ url: "a.tif", time: 0 }, { url: "b.tif", time: 86_400_000 }], first: meta("a.tif"),
        meta: { items: [{ url: "a.tif", time: 0 }, { url: "b.tif", time: 86_400_000 }], grid: UTM, bands: meta("a.tif").bands, dtype: "uint16", nodata: 0, block: { blockWidth: 256, blockHeight: 256 }, shape: [2, 4, 1024, 1024] },
      },
    };
    const cog = { t: "geotiff" as const, url: "file:///o.tif", options: { tileSize: 256, compression: "deflate" as const, level: 6, predictor: null, overviews: null, overviewResampling: "nearest" as const } };
    expect(errorOf(() => checkRasterSink(cog, info(stack)))).toMatchObject({ code: "RASTER_TIME_DIMENSION" });
    const mixed: RasterNode = { kind: "bandMath", input: scan(), exprs: [col("red").node, col("red").cast("float32").alias("f").node], append: false };
    expect(errorOf(() => checkRasterSink(cog, info(mixed)))).toMatchObject({ code: "RASTER_MIXED_TYPES" });
    const proj = scan(512, { source: { format: "geotiff", url: "p.tif", meta: meta("p.tif", { grid: { ...UTM, crs: "+proj=utm +zone=33 +datum=WGS84" } }) } });
    expect(errorOf(() => checkRasterSink(cog, info(proj)))).toMatchObject({ code: "RASTER_UNSUPPORTED_CRS" });
  });
});

describe("band pushdown", () => {
  it("reads only the bands band math uses, through warps, and keeps every band for withBands", () => {
    const narrowed = narrowBands(regrid(ndvi(scan()), coarse), null);
    const s = ((narrowed as { input: RasterNode }).input as { input: RasterScanNode }).input;
    expect(s.pushed).toEqual(["red", "nir"]);
    expect(info(narrowed).bands.map((b) => b.name)).toEqual(["ndvi"]);
    const appended: RasterNode = { kind: "bandMath", input: scan(), exprs: [col("red").add(1).alias("red1").node], append: true };
    expect(narrowBands(appended, null)).toBe(appended);
    const picked = narrowBands(appended, new Set(["red1", "green"]));
    expect(((picked as { input: RasterScanNode }).input).pushed).toEqual(["green", "red"]);
  });
});

describe("explain", () => {
  it("shows chunking, halos, the overview and the bands pushed into the read", () => {
    const text = explainRaster(narrowBands(regrid(ndvi(scan(256)), coarse), null));
    expect(text.split("\n")).toEqual([
      "Regrid method=bilinear grid=EPSG:32633 256×256 px=40×40 chunks=16 of 64×64 halo=4 px (each chunk reads its source window, halo included)",
      "  BandMath [((cast(col(nir) as float64) - col(red)) / (cast(col(nir) as float64) + col(red))) as ndvi] (fused per chunk)",
      "    RasterScan geotiff url=\"s3://b/scene.tif\" grid=EPSG:32633 1024×1024 px=10×10 uint16 blocks=256×256 chunks=16 of 256×256 bands=[red, nir] (pushed down; of [blue, green, red, nir]) overview=none (full resolution; file has 1)",
    ]);
    expect(explainRaster(scan(512, { overview: 1 }))).toContain("grid=EPSG:32633 512×512 px=20×20 uint16 blocks=256×256 chunks=1 of 512×512 bands=[blue, green, red, nir] overview=1 (of 1)");
  });

  it("shows a frame made from a raster with the raster below it", () => {
    const zonal: FromRasterNode = { kind: "fromRaster", raster: ndvi(scan()), view: { t: "zonal", zones: [{ id: 1, polygons: [[[[14.99, 41.5], [15.0, 41.5], [15.0, 41.49], [14.99, 41.5]]]] }], crs: "EPSG:4326", stats: ["mean"], rule: "center" } };
    const lines = explainPlan(zonal).split("\n");
    expect(lines[0]).toBe("ZonalStats zones=1 crs=EPSG:4326 rule=center stats=[mean] (reads only chunks under zones; partial → merge tree)");
    expect(lines[1]).toMatch(/^ {2}BandMath /);
    expect(lines[2]).toMatch(/^ {4}RasterScan geotiff/);
    expect(schemaOf(zonal).map((f) => `${f.name}:${f.type}`)).toEqual(["zone:int64", "band:utf8", "mean:float64"]);
  });
});

describe("lowering", () => {
  const chunkTasks = (tasks: readonly { op: string; args: unknown; label?: { name: string } }[]) => tasks.filter((t) => t.op === "raster-chunk").map((t) => ({ ...(t.args as RasterChunkArgs), label: t.label?.name }));

  it("fuses a read (halo included), band math and the warp into one task per target chunk, each reading about chunkSize source pixels", () => {
    const job = lowerRasterJob(regrid(ndvi(scan(512)), coarse));
    const chunks = chunkTasks(job.graph.tasks);
    // A 4× coarser target is cut into chunks of 512 / 4 = 128 target pixels: 4 tasks, each reading 512 source pixels plus the halo.
    expect(chunks).toHaveLength(4);
    expect(job.outputs).toHaveLength(4);
    for (const t of chunks) {
      expect(t.source).toMatchObject({ type: "read", url: "s3://b/scene.tif", bands: [0, 1, 2, 3] });
      expect(t.steps.map((s) => s.t)).toEqual(["bandMath", "warp"]);
    }
    // The bilinear tent stretched 4× reaches 4 source pixels beyond each chunk's footprint (clipped at the grid's edge).
    expect(chunks.map((c) => (c.source as { window: unknown }).window)).toEqual([
      { x: 0, y: 0, width: 516, height: 516 }, { x: 508, y: 0, width: 516, height: 516 },
      { x: 0, y: 508, width: 516, height: 516 }, { x: 508, y: 508, width: 516, height: 516 },
    ]);
  });

  it("a warp of a warp mosaics the first warp's chunks under each source window (only those are computed)", () => {
    const first = regrid(scan(256), { ...UTM, transform: [500005, 10, 0, 4599995, 0, -10] }, "nearest");
    // Shifted by two of the first warp's pixels: each second chunk's source window straddles the first warp's chunks.
    const job = lowerRasterJob(regrid(first, { crs: "EPSG:32633", transform: [500025, 40, 0, 4599975, 0, -40], width: 128, height: 128 }, "average"));
    const firstChunks = job.graph.tasks.filter((t) => t.op === "raster-chunk" && (t.args as RasterChunkArgs).source.type === "read");
    const second = job.graph.tasks.filter((t) => t.op === "raster-chunk" && (t.args as RasterChunkArgs).source.type === "mosaic");
    expect(second).toHaveLength(4);
    expect(second.map((t) => t.deps.length)).toEqual([4, 4, 4, 4]);
    expect(second.every((t) => t.deps.every((d) => firstChunks.some((f) => f.key === d)))).toBe(true);
    // The second warp covers the first's pixels 2..514: nine of its sixteen chunks are computed.
    expect(firstChunks).toHaveLength(9);
  });

  it("zonal statistics read only the chunks under zones, only the zones' box of each, and merge in a tree", () => {
    // A zone of a few pixels near (300, 300) of the 1024² grid in chunks of 256: one chunk, a small window of it.
    const zones = [{ id: "a", polygons: [[[[503000, 4597000], [503100, 4597000], [503050, 4596900], [503000, 4597000]]]] }];
    const node: FromRasterNode = { kind: "fromRaster", raster: scan(256), view: { t: "zonal", zones, crs: "EPSG:32633", stats: ["count"], rule: "allTouched" } };
    const phys = lowerPlan(node);
    const chunks = chunkTasks(phys.graph.tasks);
    expect(chunks).toHaveLength(1);
    expect((chunks[0]!.source as { window: unknown }).window).toEqual({ x: 299, y: 299, width: 12, height: 12 });
    expect(phys.graph.tasks.filter((t) => t.op === "raster-zonal-merge")).toHaveLength(1);
    // A zone covering the whole grid touches every chunk: 16 partials, merged with fan-in 4 into 4, then finalized.
    const all = [{ id: "all", polygons: [[[[500000, 4600000], [510240, 4600000], [510240, 4589760], [500000, 4589760], [500000, 4600000]]]] }];
    const wide = lowerPlan({ ...node, view: { ...node.view, zones: all } } as FromRasterNode, { fanIn: 4 });
    expect(chunkTasks(wide.graph.tasks)).toHaveLength(16);
    expect(wide.graph.tasks.filter((t) => t.op === "raster-zonal-merge").map((t) => t.deps.length)).toEqual([4, 4, 4, 4, 4]);
  });

  it("rasterize splits each partition of the frame once by window; each window takes its piece of every partition", () => {
    const rows: PlanNode = {
      kind: "scan", projection: null, predicate: null, limit: null,
      source: { format: "memory", id: "pts", fields: [{ name: "x", type: "float64", nullable: false }, { name: "y", type: "float64", nullable: false }], partitions: [{}, {}, {}], numRows: 30 },
    };
    const grid: Grid = { crs: "EPSG:32633", transform: [0, 1, 0, 100, 0, -1], width: 100, height: 60 };
    const job = lowerRasterJob({ kind: "rasterize", frame: rows, grid, x: "x", y: "y", crs: null, value: null, agg: "count", name: "count", chunkSize: 50 });
    const splits = job.graph.tasks.filter((t) => t.op === "pipeline");
    expect(splits).toHaveLength(3);
    expect(splits.every((t) => JSON.stringify(t.args).includes('"t":"gridSplit"'))).toBe(true);
    const windows = chunkTasks(job.graph.tasks);
    expect(windows).toHaveLength(4);
    const picks = job.graph.tasks.filter((t) => t.op === "pick");
    expect(picks).toHaveLength(12);
    for (const w of job.graph.tasks.filter((t) => t.op === "raster-chunk")) {
      expect(w.deps).toHaveLength(3);
      expect(w.deps.every((d) => picks.some((p) => p.key === d))).toBe(true);
    }
  });

  it("a COG is one task over every chunk; tiles are a chunk and a write per tile, then a commit; each says what it touches", () => {
    const cog: RasterSinkNode = { kind: "rasterSink", input: scan(256), sink: { t: "geotiff", url: "s3://b/out.tif", options: { tileSize: 256, compression: "deflate", level: 6, predictor: null, overviews: null, overviewResampling: "nearest" } } };
    const c = lowerRasterJob(cog);
    const write = c.graph.tasks.find((t) => t.op === "raster-cog")!;
    expect(write.deps).toHaveLength(16);
    expect(c.outputs).toEqual([write.key]);
    const tiles: RasterSinkNode = { kind: "rasterSink", input: scan(256), sink: { t: "tiles", url: "s3://b/tiles", token: "t0k", minZoom: 10, maxZoom: 11, format: "f32", colormap: null, resampling: "average", band: "nir", tileSize: 256 } };
    const t = lowerRasterJob(tiles);
    const writes = t.graph.tasks.filter((x) => x.op === "raster-tile");
    expect(writes.length).toBeGreaterThan(2);
    const commit = t.graph.tasks.find((x) => x.op === "raster-tile-commit")!;
    expect(commit.deps).toEqual(writes.map((x) => x.key));
    // Each tile's chunk picks the band before warping it.
    expect(chunkTasks(t.graph.tasks).every((x) => x.steps[0]?.t === "bandMath" && x.steps[1]?.t === "warp")).toBe(true);
    const access = [...c.graph.tasks, ...t.graph.tasks].map((x) => storageOf(x.op, x.args));
    expect(new Set(access.flatMap((a) => a.reads))).toEqual(new Set(["s3://b/scene.tif", "s3://b/tiles"]));
    const writesTo = access.flatMap((a) => a.writes);
    expect(writesTo).toContain("s3://b/out.tif");
    expect(writesTo.filter((w) => w.startsWith("s3://b/tiles/")).every((w) => /^s3:\/\/b\/tiles\/1[01]\/\d+\/\d+\.f32$/.test(w))).toBe(true);
  });
});
