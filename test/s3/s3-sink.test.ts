// Sinks to s3:// and file:// (s3rver for S3): every type survives, DuckDB agrees, and the _SUCCESS commit is all or nothing.
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import * as arrow from "apache-arrow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalCluster, col, fromArrow, fromColumns, scanParquet } from "tessera";
import { expectSameRows } from "../support/compare.js";
import { closeDuck, duckRows, sqlList } from "../support/duck.js";
import { collectRows, failure } from "../support/engine.js";
import { tempDir } from "../support/files.js";
import { writeMixed } from "../support/mixed.js";
import { download, getText, listKeys, rawClient } from "./s3-client.js";
import { startS3rver, useS3Env, type S3rverHandle } from "./s3rver-fixture.js";

const FAIL_FN = `${fileURLToPath(new URL("./fail-fns.mjs", import.meta.url))}#failAfterAPart`;

let server: S3rverHandle;
let cluster: LocalCluster;
let restoreEnv = (): void => undefined;
let root = "";
let mixedFile = "";
let s3: ReturnType<typeof rawClient>;
const run = (): { client: LocalCluster["client"] } => ({ client: cluster.client });

interface Manifest { token: string; files: { path: string; rows: number; bytes: number }[]; rows: number; bytes: number; schema: { name: string; type: string }[] }

/** A destination on either store, read back through the raw S3 client or the file system (not through Tessera). */
interface Dest {
  readonly url: string;
  /** Object paths under the destination, relative to it, sorted. */
  keys(): Promise<string[]>;
  manifest(): Promise<Manifest | null>;
  size(path: string): Promise<number>;
  /** Local copies of the given relative paths (for DuckDB). */
  local(paths: readonly string[]): Promise<string[]>;
}

function s3Dest(name: string): Dest {
  const prefix = `${name}/`;
  return {
    url: `s3://out/${name}`,
    keys: async () => (await listKeys(s3, "out", prefix)).map((k) => k.slice(prefix.length)),
    manifest: async () => ((await listKeys(s3, "out", `${prefix}_SUCCESS`)).length === 0 ? null : JSON.parse(await getText(s3, "out", `${prefix}_SUCCESS`)) as Manifest),
    size: async (p) => (await s3.send(new HeadObjectCommand({ Bucket: "out", Key: `${prefix}${p}` }))).ContentLength ?? -1,
    local: async (paths) => download(s3, "out", paths.map((p) => `${prefix}${p}`), prefix, tempDir("s3-download")),
  };
}

function fileDest(name: string): Dest {
  const dir = join(root, name);
  return {
    url: `file://${dir}`,
    keys: async () => (existsSync(dir) ? (readdirSync(dir, { recursive: true, withFileTypes: true }) as import("node:fs").Dirent[])
      .filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort() : []),
    manifest: async () => (existsSync(join(dir, "_SUCCESS")) ? JSON.parse(readFileSync(join(dir, "_SUCCESS"), "utf8")) as Manifest : null),
    size: async (p) => statSync(join(dir, p)).size,
    local: async (paths) => paths.map((p) => join(dir, p)),
  };
}

/** The manifest is complete and exact: every listed part exists with its size, none twice, and no other part is there. */
async function expectConsistent(d: Dest): Promise<Manifest> {
  const m = await d.manifest();
  expect(m, `${d.url} has a manifest`).not.toBeNull();
  const manifest = m as Manifest;
  const listed = manifest.files.map((f) => f.path);
  expect(new Set(listed).size).toBe(listed.length);
  const keys = await d.keys();
  const parts = keys.filter((k) => /(^|\/)part-/.test(k));
  expect(parts.sort()).toEqual([...listed].sort());
  for (const f of manifest.files) expect(await d.size(f.path), f.path).toBe(f.bytes);
  expect(manifest.rows).toBe(manifest.files.reduce((s, f) => s + f.rows, 0));
  return manifest;
}

/** Waits (bounded) until no part outside the manifest remains: tasks still running when a job failed remove theirs. */
async function settledParts(d: Dest, manifest: Manifest | null): Promise<string[]> {
  const listed = new Set(manifest?.files.map((f) => f.path) ?? []);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const strays = (await d.keys()).filter((k) => /(^|\/)part-/.test(k) && !listed.has(k));
    if (strays.length === 0 || Date.now() > deadline) return strays;
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  server = await startS3rver({ buckets: ["out"] });
  root = tempDir("s3-sink");
  restoreEnv = useS3Env(server);
  process.env["TESSERA_FUNCTIONS_DIR"] = dirname(fileURLToPath(new URL("./fail-fns.mjs", import.meta.url)));  // mapBatches may load it
  // Where failAfterAPart watches for parts (file:// destinations, and s3 ones on s3rver's disk); set before the threads start.
  process.env["TESSERA_TEST_WATCH_DIRS"] = JSON.stringify({
    "-1": join(root, "interrupted"), "-2": join(server.directory, "out", "interrupted"),
    "-3": join(root, "failed-first"), "-4": join(server.directory, "out", "failed-first"),
  });
  cluster = await LocalCluster.start({ workers: 1, threads: 2 });  // after the environment is set: threads copy it
  s3 = rawClient(server);
  mixedFile = await writeMixed(tempDir("s3-sink-src"), 3000);
});
afterAll(async () => {
  await cluster?.close();
  await closeDuck();
  restoreEnv();
  await server?.close();
});

describe.each([
  ["s3://", s3Dest],
  ["file://", fileDest],
] as const)("sinkParquet to %s", (scheme, dest) => {
  it("keeps every type (ints, floats, bools, strings, dates, timestamps, nulls); Tessera and DuckDB read back the same rows", async () => {
    const d = dest("mixed");
    const result = await scanParquet(mixedFile, { partitions: 3 }).sinkParquet(d.url, run());
    expect(result.rows).toBe(3000);
    expect(result.files.every((f) => f.startsWith(scheme === "s3://" ? "s3://out/mixed/part-" : join(root, "mixed", "part-")))).toBe(true);
    const manifest = await expectConsistent(d);
    expect(manifest.files.length).toBe(result.files.length);

    const expected = await duckRows("SELECT * FROM mixed");
    expectSameRows(await collectRows(scanParquet(d.url), run()), expected, { exact: true });
    expect(await scanParquet(d.url).schema()).toEqual(await scanParquet(mixedFile).schema());

    const files = await d.local(manifest.files.map((f) => f.path));
    const back = `read_parquet(${sqlList(files)})`;
    expectSameRows(await duckRows(`SELECT * FROM ${back}`), expected, { exact: true });
    const types = (sql: string) => duckRows(`SELECT column_name, column_type FROM (DESCRIBE ${sql})`);
    expect(await types(`SELECT * FROM ${back}`)).toEqual(await types("SELECT * FROM mixed"));
  });

  it("keeps dictionary strings and Arrow types through the round trip", async () => {
    const d = dest("dict");
    const labels = ["north", "south", "east", "west", "Zoë"];
    const n = 2000;
    const codes = Int32Array.from({ length: n }, (_, i) => (i * 7) % labels.length);
    const validity = new Uint8Array(Math.ceil(n / 8)).fill(0xff);
    for (let i = 0; i < n; i += 13) validity[i >> 3] = (validity[i >> 3] as number) & ~(1 << (i & 7));
    const region = arrow.makeVector(arrow.makeData({
      type: new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()), length: n, data: codes, nullBitmap: validity,
      nullCount: Math.ceil(n / 13), dictionary: arrow.vectorFromArray(labels, new arrow.Utf8()),
    }));
    const table = new arrow.Table({
      region,
      day: arrow.vectorFromArray(Array.from({ length: n }, (_, i) => new Date(Date.UTC(2024, 0, 1 + (i % 366)))), new arrow.DateDay()),
      at: arrow.vectorFromArray(Array.from({ length: n }, (_, i) => (i % 11 === 0 ? null : Date.UTC(2024, 0, 1) + i * 61_000)), new arrow.TimestampMillisecond()),
      big: arrow.vectorFromArray(Array.from({ length: n }, (_, i) => BigInt(i) * 1_000_000_007n), new arrow.Int64()),
      ok: arrow.vectorFromArray(Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : i % 2 === 0)), new arrow.Bool()),
    });
    await fromArrow(table, { partitions: 2 }).sinkParquet(d.url, run());
    const back = await scanParquet(d.url).collect(run());
    expect(arrow.DataType.isDictionary(back.getChild("region")?.type)).toBe(true);
    expect(back.schema.fields.map((f) => String(f.type))).toEqual(table.schema.fields.map((f) => String(f.type)));
    const rowsOf = (t: arrow.Table) => t.toArray().map((r) => JSON.stringify(r.toJSON(), (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
    expect(rowsOf(back)).toEqual(rowsOf(table));
    const files = await d.local((await expectConsistent(d)).files.map((f) => f.path));
    const duck = await duckRows(`SELECT region, count(*)::INTEGER AS n FROM read_parquet(${sqlList(files)}) GROUP BY region ORDER BY region NULLS FIRST`);
    const counts = new Map<string | null, number>();
    for (const r of back.getChild("region")?.toArray() as (string | null)[]) counts.set(r, (counts.get(r) ?? 0) + 1);
    expect(duck.map((r) => [r.region, r.n])).toEqual([...counts].sort((a, b) => (a[0] === null ? -1 : b[0] === null ? 1 : a[0] < b[0] ? -1 : 1)));
  });

  it("writes Hive partitions listed in the manifest; scanning the directory gives them back as columns", async () => {
    const d = dest("hive");
    await scanParquet(mixedFile, { partitions: 2 }).filter(col("j").lte(3)).sinkParquet(d.url, { ...run(), partitionBy: "j" });
    const manifest = await expectConsistent(d);
    expect(manifest.files.every((f) => /^j=[123]\/part-/.test(f.path))).toBe(true);
    const actual = await collectRows(scanParquet(d.url).select(col("rid"), col("j")), run());
    expectSameRows(actual, await duckRows("SELECT rid, j::BIGINT AS j FROM mixed WHERE j <= 3"), { exact: true });
  });

  it("writing again replaces the dataset: the new manifest lists only new parts, old parts are deleted", async () => {
    const d = dest("replace");
    await fromColumns({ x: [1, 2, 3, 4] }, { partitions: 2 }).sinkParquet(d.url, run());
    const first = await expectConsistent(d);
    await fromColumns({ x: [10, 20, 30, 40, 50, 60] }, { partitions: 3 }).sinkParquet(d.url, run());
    const second = await expectConsistent(d);
    expect(second.token).not.toBe(first.token);
    expect(second.files.some((f) => first.files.some((g) => g.path === f.path))).toBe(false);
    const xs = (await collectRows(scanParquet(d.url), run())).map((r) => r.x).sort((a, b) => (a as number) - (b as number));
    expect(xs).toEqual([10, 20, 30, 40, 50, 60]);
  });

  it("a scan of a directory with a manifest reads exactly its files and ignores others (e.g. a failed attempt's)", async () => {
    const d = dest("stray");
    await fromColumns({ x: [1, 2, 3] }).sinkParquet(d.url, run());
    // Not Parquet at all: reading it would fail, so the scan can only succeed by honouring the manifest.
    const stray = "part-00000-deadbeef0000-00000000.parquet";
    if (scheme === "s3://") await s3.send(new PutObjectCommand({ Bucket: "out", Key: `stray/${stray}`, Body: "junk" }));
    else writeFileSync(join(root, "stray", stray), "junk");
    expect((await collectRows(scanParquet(d.url), run())).map((r) => r.x).sort()).toEqual([1, 2, 3]);
  });

  it("a sink interrupted by a failing task leaves the old dataset and manifest, and removes every part it wrote", async () => {
    const d = dest("interrupted");
    const marker = scheme === "s3://" ? -2 : -1;
    await fromColumns({ x: [1, 2, 3, 4, 5, 6, 7, 8] }, { partitions: 2 }).sinkParquet(d.url, run());
    const before = await expectConsistent(d);
    const x = Array.from({ length: 400 }, (_, i) => (i === 399 ? marker : i));
    const schema = [{ name: "x", type: "float64" as const, nullable: false }];
    const e = await failure(() => fromColumns({ x }, { partitions: 4 }).mapBatches(FAIL_FN, { schema }).sinkParquet(d.url, run()));
    expect(e.message).toContain("injected failure in the partition holding x = " + marker + ", after another part landed");
    expect(await settledParts(d, before)).toEqual([]);
    expect((await d.keys()).some((k) => k.startsWith("_tessera-aborted-")), "the abandoned job's marker").toBe(true);
    const after = await expectConsistent(d);
    expect(after).toEqual(before);
    expect((await collectRows(scanParquet(d.url), run())).map((r) => r.x).sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const files = await d.local(after.files.map((f) => f.path));
    expect((await duckRows(`SELECT count(*)::INTEGER AS n FROM read_parquet(${sqlList(files)})`))[0]?.n).toBe(8);
  });

  it("a first sink that fails leaves no manifest and no parts", async () => {
    const d = dest("failed-first");
    const marker = scheme === "s3://" ? -4 : -3;
    const x = Array.from({ length: 400 }, (_, i) => (i === 0 ? marker : i));
    const schema = [{ name: "x", type: "float64" as const, nullable: false }];
    const e = await failure(() => fromColumns({ x }, { partitions: 4 }).mapBatches(FAIL_FN, { schema }).sinkParquet(d.url, run()));
    expect(e.message).toContain("after another part landed");
    expect(await settledParts(d, null)).toEqual([]);
    expect(await d.manifest()).toBeNull();
  });
});

describe("storage errors through the engine", () => {
  it("a missing bucket names the URL and the cause", async () => {
    const e = await failure(() => scanParquet("s3://no-such-bucket/data/x.parquet").collect(run()));
    expect(e.code).toBe("IO_NO_BUCKET");
    expect(e.message).toContain("no-such-bucket");
    const w = await failure(() => fromColumns({ x: [1] }).sinkParquet("s3://no-such-bucket/out", run()));
    expect(w.code).toBe("IO_NO_BUCKET");
  });

  it("an object that is not Parquet names the URL and the cause", async () => {
    await s3.send(new PutObjectCommand({ Bucket: "out", Key: "junk/readme.parquet", Body: "hello, I am text" }));
    const e = await failure(() => scanParquet("s3://out/junk/readme.parquet").collect(run()));
    expect(e.code).toBe("IO_BAD_PARQUET");
    expect(e.message).toContain("s3://out/junk/readme.parquet");
  });

  it("a missing object names the URL", async () => {
    const e = await failure(() => scanParquet("s3://out/nothing/here.parquet").collect(run()));
    expect(e.code).toBe("IO_NOT_FOUND");
    expect(e.message).toContain("s3://out/nothing/here.parquet");
  });
});
