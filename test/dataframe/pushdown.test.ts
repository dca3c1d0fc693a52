// Pushdown is real, counted at the store: a selective filter on a sorted column reads fewer row groups,
// and a one-column select decodes (fetches) only that column's chunks.
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalCluster, col, scanParquet } from "tessera";
import type { ByteRange, ObjectInfo, ObjectStore } from "@tessera/io";
import { registerObjectStore, storeFor, writeParquet } from "@tessera/io";
import { batchFromColumns } from "@tessera/kernels";
import { duckRows } from "../support/duck.js";
import { expectSameRows, tableRows } from "../support/compare.js";
import { tempDir } from "../support/files.js";

const N = 200_000;
const ROW_GROUPS = 10;
const fetched: { url: string; offset: number; length: number }[] = [];

/** counting://x is memory://x, recording every ranged read. Runs in this thread (the cluster runs ops inline). */
class CountingStore implements ObjectStore {
  private readonly inner = storeFor("memory://");
  private to(url: string): string { return url.replace(/^counting:\/\//, "memory://"); }
  private from(url: string): string { return url.replace(/^memory:\/\//, "counting://"); }
  async list(prefix: string): Promise<ObjectInfo[]> { return (await this.inner.list(this.to(prefix))).map((o) => ({ ...o, url: this.from(o.url) })); }
  async head(url: string): Promise<ObjectInfo> { return { ...(await this.inner.head(this.to(url))), url }; }
  async get(url: string, range?: ByteRange): Promise<Uint8Array> {
    const bytes = await this.inner.get(this.to(url), range);
    fetched.push({ url, offset: range?.offset ?? 0, length: bytes.length });
    return bytes;
  }
  put(url: string, bytes: Uint8Array): Promise<void> { return this.inner.put(this.to(url), bytes); }
  delete(url: string): Promise<void> { return this.inner.delete(this.to(url)); }
}

interface Chunk { rowGroup: number; column: string; start: number; end: number }
let cluster: LocalCluster;
let chunks: Chunk[];
let size: number;
let localPath: string;
const url = "counting://pushdown/sorted.parquet";

/** Which (row group, column) chunks the data reads touched; the footer read (which ends at the file's end) is excluded. */
function touched(): Chunk[] {
  const data = fetched.filter((f) => f.url === url && f.offset + f.length < size);
  return chunks.filter((c) => data.some((f) => f.offset < c.end && c.start < f.offset + f.length));
}

beforeAll(async () => {
  registerObjectStore("counting", new CountingStore());
  const k = new Float64Array(N);
  const a = new Float64Array(N);
  const b = new Float64Array(N);
  for (let i = 0; i < N; i++) { k[i] = i; a[i] = (i * 7919) % 1000; b[i] = Math.sin(i); }
  const batch = batchFromColumns({ k, a, b, s: Array.from({ length: N }, (_, i) => `name-${i % 977}`) });
  const bytes = writeParquet([batch], batch.fields, { rowGroupSize: N / ROW_GROUPS });
  size = bytes.length;
  await storeFor(url).put(url, bytes);
  localPath = `${tempDir("pushdown")}/sorted.parquet`;
  writeFileSync(localPath, bytes);
  const meta = await duckRows(`SELECT row_group_id AS rg, path_in_schema AS col, coalesce(dictionary_page_offset, data_page_offset) AS start,
    total_compressed_size AS len FROM parquet_metadata('${localPath}')`);
  chunks = meta.map((r) => ({ rowGroup: Number(r.rg), column: String(r.col), start: Number(r.start), end: Number(r.start) + Number(r.len) }));
  expect(new Set(chunks.map((c) => c.rowGroup)).size).toBe(ROW_GROUPS);
  cluster = await LocalCluster.start({ workers: 1, threads: 0, processes: false }); // in-process: the counting store is registered in this process
});

afterAll(async () => { await cluster?.close(); });

describe("pushdown into Parquet scans", () => {
  it("a selective filter on a sorted column reads only the row groups whose statistics can match", async () => {
    fetched.length = 0;
    const all = await scanParquet(url).select(col("a").sum().alias("s")).collect({ client: cluster.client });
    expect(Number(all.getChild("s")?.get(0))).toBeGreaterThan(0);
    const readAll = new Set(touched().map((c) => c.rowGroup));
    expect(readAll.size).toBe(ROW_GROUPS);

    fetched.length = 0;
    const lo = N - N / ROW_GROUPS / 2;
    const frame = scanParquet(url).filter(col("k").gte(lo)).select("k", "a");
    const got = await frame.collect({ client: cluster.client });
    const readFiltered = new Set(touched().map((c) => c.rowGroup));
    expect([...readFiltered]).toEqual([ROW_GROUPS - 1]);
    expectSameRows(tableRows(got), await duckRows(`SELECT k, a FROM '${localPath}' WHERE k >= ${lo}`), { keys: ["k"] });
    expect(await frame.explain()).toMatch(/row_groups=1\b/);
  });

  it("a one-column select fetches only that column's chunks", async () => {
    fetched.length = 0;
    const got = await scanParquet(url).select("b").collect({ client: cluster.client });
    expect(got.numCols).toBe(1);
    expect(got.numRows).toBe(N);
    const cols = new Set(touched().map((c) => c.column));
    expect([...cols]).toEqual(["b"]);
    expect(new Set(touched().map((c) => c.rowGroup)).size).toBe(ROW_GROUPS);
  });
});
