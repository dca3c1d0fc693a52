// Fan-out sinks to file://: one object per group from a path template, hostile values escaped, formats, commit point, re-runs, tiles.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalCluster, col, fromColumns, len, tileBins } from "tessera";
import { unescapePathComponent } from "@tessera/io";
import { failure } from "../support/engine.js";
import { tempDir } from "../support/files.js";

const ENCODERS = fileURLToPath(new URL("../fixtures/tile-encoders.mjs", import.meta.url));
let cluster: LocalCluster;
const run = (): { client: LocalCluster["client"] } => ({ client: cluster.client });

/** Every file under `dir`, relative to it, sorted (a walk of the real file system, not through Tessera). */
function tree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p); else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

beforeAll(async () => {
  process.env["TESSERA_FUNCTIONS_DIR"] = dirname(ENCODERS);  // tile encoders load only from allowed places; threads copy the environment
  cluster = await LocalCluster.start({ workers: 2, threads: 1, processes: false });
});
afterAll(async () => { await cluster?.close(); });

const HOSTILE = ["../../etc", "..", ".", "a/b", "/abs", "x%2Fy", "名前 é", "C:\\win", "q?#*", "__HIVE_DEFAULT_PARTITION__", "semi;colon", "tab\there"];

describe("sinkObjects paths", () => {
  it("{column} writes each value as one escaped segment: no value adds or climbs a level, and each reads back as itself", async () => {
    const root = tempDir("sink-hostile");
    const out = join(root, "out");
    const r = await fromColumns({ v: HOSTILE, n: HOSTILE.map((_, i) => i) }, { partitions: 3 }).sinkObjects(out, { path: "k/{v}.csv", ...run() });
    expect(r.objects).toBe(HOSTILE.length);
    const files = tree(out).filter((f) => f !== "_SUCCESS");
    expect(files.length).toBe(HOSTILE.length);
    for (const f of files) {
      const segments = f.split("/");
      expect(segments.length, f).toBe(2);
      expect(segments[0]).toBe("k");
    }
    const names = files.map((f) => unescapePathComponent((f.split("/")[1] as string).replace(/\.csv$/, "")));
    expect(names.sort()).toEqual([...HOSTILE].sort());
    // Nothing was written outside the sink's directory.
    expect(tree(root).every((f) => f.startsWith("out/"))).toBe(true);
  });

  it("{column:levels} keeps values as written with / as a level, but a . or .. segment cannot climb", async () => {
    const root = tempDir("sink-levels");
    const out = join(root, "deep", "out");
    await fromColumns({ v: ["a/b", "../../x", "..", "sp ace/é", "a/./b"], n: [1, 2, 3, 4, 5] }).sinkObjects(out, { path: "t/{v:levels}.csv", commit: null, ...run() });
    expect(tree(out)).toEqual(["t/%2E%2E/%2E%2E/x.csv", "t/...csv", "t/a/%2E/b.csv", "t/a/b.csv", "t/sp ace/é.csv"].sort());
    expect(tree(root).every((f) => f.startsWith("deep/out/t/"))).toBe(true);
  });

  it("an empty value cannot name a segment: the sink fails with IO_BAD_PATH_VALUE naming the column, and writes no commit object", async () => {
    const out = tempDir("sink-empty");
    await fromColumns({ v: ["a", "b"], n: [1, 2] }).sinkObjects(out, { path: "{v}.csv", ...run() });
    expect(existsSync(join(out, "_SUCCESS"))).toBe(true);
    const e = await failure(() => fromColumns({ v: ["a", "", "c"], n: [1, 2, 3] }).sinkObjects(out, { path: "{v}.csv", ...run() }));
    expect(e).toMatchObject({ code: "IO_BAD_PATH_VALUE" });
    expect(e.message).toContain('column "v"');
    // The earlier run's commit object went first: a half-written tree never looks finished.
    expect(existsSync(join(out, "_SUCCESS"))).toBe(false);
  });

  it("refuses templates that would leave the sink's URL or name no column, before anything runs", async () => {
    const f = fromColumns({ v: ["a"], n: [1] });
    for (const path of ["../{v}.csv", "/{v}.csv", "a/./{v}", "fixed.csv", "{v"]) {
      expect(await failure(() => f.sinkObjects(tempDir("sink-bad"), { path, ...run() })), path).toMatchObject({ code: "IO_BAD_TEMPLATE" });
    }
    expect(await failure(() => f.sinkObjects(tempDir("sink-bad"), { path: "{nope}.csv", ...run() }))).toMatchObject({ code: "COLUMN_NOT_FOUND" });
  });
});

describe("sinkObjects formats and commit", () => {
  const frame = () => fromColumns({
    region: ["b", "a", "b", "a", "c", "a"], ts: [2n, 1n, 1n, 3n, 3n, 2n], v: [1.5, 2, 3, null, 5, 1e-5], n: [1n, 2n, 3n, 4n, 5n, 6n],
  }, { partitions: 3 });

  it("CSV: one object per group with the other columns, rows in orderBy order, numbers as pandas writes them", async () => {
    const out = tempDir("sink-csv");
    const r = await frame().sinkObjects(out, { path: "by-region/{region}.csv", orderBy: "ts", numberFormat: "python", ...run() });
    expect(r).toMatchObject({ objects: 3, commit: join(out, "_SUCCESS") });
    expect(tree(out)).toEqual(["_SUCCESS", "by-region/a.csv", "by-region/b.csv", "by-region/c.csv"]);
    expect(readFileSync(join(out, "by-region/a.csv"), "utf8")).toBe("ts,v,n\n1,2.0,2\n2,1e-05,6\n3,,4\n");
    expect(readFileSync(join(out, "by-region/b.csv"), "utf8")).toBe("ts,v,n\n1,3.0,3\n2,1.5,1\n");
    expect(r.bytes).toBe(["a", "b", "c"].reduce((s, x) => s + statSync(join(out, `by-region/${x}.csv`)).size, 0));
  });

  it("CSV pivot: per object a row per index and a column per `on` value of its own rows; integer columns with gaps print as floats", async () => {
    const out = tempDir("sink-pivot");
    const f = fromColumns({ feature: ["f", "f", "f", "g"], t: [0n, 0n, 1n, 5n], q: ["qa", "qb", "qb", "qz"], c: [2n, 1n, 1n, 7n] });
    await f.sinkObjects(out, { path: "{feature}/c.csv", pivot: { index: "t", on: "q", values: "c" }, orderBy: ["t", "q"], numberFormat: "python", ...run() });
    expect(readFileSync(join(out, "f/c.csv"), "utf8")).toBe("t,qa,qb\n0,2.0,1\n1,,1\n");
    expect(readFileSync(join(out, "g/c.csv"), "utf8")).toBe("t,qz\n5,7\n");
  });

  it("JSON: nested objects keyed by column values, with keys every object has; leaves as records or values", async () => {
    const out = tempDir("sink-json");
    // "kind" is not a column: the sink fails at plan time, naming it.
    expect(await failure(() => frame().sinkObjects(out, { path: "{region}.json", json: { nest: ["kind"] }, ...run() }))).toMatchObject({ code: "COLUMN_NOT_FOUND" });
    const f = frame().withColumns(col("ts").gt(1).cast("utf8").alias("late"));
    await f.sinkObjects(out, { path: "{region}.json", columns: ["ts", "v"], orderBy: "n", numberFormat: "python", json: { nest: ["late"], nestKeys: { late: ["false", "true", "never"] } }, ...run() });
    expect(readFileSync(join(out, "a.json"), "utf8")).toBe('{"false": [{"ts": 1, "v": 2.0}], "true": [{"ts": 3, "v": null}, {"ts": 2, "v": 1e-05}], "never": []}');
    await fromColumns({ f: ["x", "x", "y"], q: ["p", "r", "p"] }).sinkObjects(out, { path: "lists/{f}.json", json: { leaf: "values" }, ...run() });
    expect(JSON.parse(readFileSync(join(out, "lists/x.json"), "utf8"))).toEqual(["p", "r"]);
  });

  it("the commit object is written after every part and lists what they wrote; a re-run leaves the same tree", async () => {
    const out = tempDir("sink-rerun");
    const first = await frame().sinkObjects(out, { path: "{region}/{ts}.csv", orderBy: "n", ...run() });
    const manifest = JSON.parse(readFileSync(join(out, "_SUCCESS"), "utf8")) as { objects: number; bytes: number; parts: { objects: number }[] };
    expect(manifest.objects).toBe(first.objects);
    expect(manifest.bytes).toBe(first.bytes);
    expect(manifest.parts.reduce((s, p) => s + p.objects, 0)).toBe(first.objects);
    const latest = Math.max(...tree(out).filter((f) => f !== "_SUCCESS").map((f) => statSync(join(out, f)).mtimeMs));
    expect(statSync(join(out, "_SUCCESS")).mtimeMs).toBeGreaterThanOrEqual(latest);
    const before = new Map(tree(out).filter((f) => f !== "_SUCCESS").map((f) => [f, readFileSync(join(out, f), "utf8")]));
    const second = await frame().sinkObjects(out, { path: "{region}/{ts}.csv", orderBy: "n", ...run() });
    expect(second.objects).toBe(first.objects);
    expect(new Map(tree(out).filter((f) => f !== "_SUCCESS").map((f) => [f, readFileSync(join(out, f), "utf8")]))).toEqual(before);
  });

  it("the none writer renders and counts every object, and stores nothing", async () => {
    const r = await frame().sinkObjects("none", { path: "{region}.csv", ...run() });
    expect(r.objects).toBe(3);
    expect(r.bytes).toBeGreaterThan(10);
  });
});

describe("sinkTiles", () => {
  it("one tile per (group, z, x, y) of tileBins' rows, bins and values through the named TileEncoder", async () => {
    const out = tempDir("sink-tiles");
    const pts = fromColumns({
      feature: ["f", "f", "f", "g"], lat: [10.168, 10.167, 9.55, 9.55], lng: [40.646, 40.645, 31.65, 31.65], v: [1, 2, 4, 8],
    }, { partitions: 2 });
    const bins = tileBins(pts, { lat: "lat", lng: "lng", zoom: [0, 1, 8], binLevel: 6, by: ["feature"], aggs: [col("v").sum().alias("sum"), len().cast("float64").alias("count")] });
    const r = await bins.sinkTiles(out, { path: "{feature}/{z}/{x}/{y}.json", encoder: `${ENCODERS}#jsonTileEncoder`, binLevel: 6, values: ["sum", "count"], ...run() });
    const expected = await bins.collect(run());
    const tiles = new Set(Array.from({ length: expected.numRows }, (_, i) => {
      const row = expected.get(i)!;
      return `${String(row["feature"])}/${String(row["z"])}/${String(row["x"])}/${String(row["y"])}.json`;
    }));
    expect(tree(out).filter((f) => f !== "_SUCCESS")).toEqual([...tiles].sort());
    expect(r.objects).toBe(tiles.size);
    // z0: both f points of Ethiopia share bin 1959 (sums 3, count 2), South Sudan's is bin 1957 (spec §16.1).
    const z0 = JSON.parse(readFileSync(join(out, "f/0/0/0.json"), "utf8")) as { z: number; bins: number[][] };
    expect(z0).toEqual({ z: 0, x: 0, y: 0, binLevel: 6, bins: [[1957, 1, 4], [1959, 2, 3]] });
  });

  it("refuses an encoder that is not a TileEncoder, or one outside the allowed places, naming it", async () => {
    const f = fromColumns({ z: [0n], x: [0n], y: [0n], bin: [1n], v: [1.0] });
    const bad = await failure(() => f.sinkTiles(tempDir("sink-tiles-bad"), { encoder: `${ENCODERS}#notAnEncoder`, binLevel: 6, values: ["v"], ...run() }));
    expect(bad).toMatchObject({ code: "BAD_TILE_ENCODER" });
    const outside = await failure(() => f.sinkTiles(tempDir("sink-tiles-bad"), { encoder: "/etc/passwd#x", binLevel: 6, values: ["v"], ...run() }));
    expect(outside).toMatchObject({ code: "FUNCTION_NOT_ALLOWED" });
  });
});
