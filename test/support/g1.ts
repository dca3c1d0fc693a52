// The db-benchmark G1 group-by data set, generated deterministically as an Arrow table and cached as Parquet.
//
// Follows db-benchmark's _data/groupby-datagen.R (the version with v2 in 1..15 and v3 to 6 decimals):
//   id1, id2 = sample(sprintf("id%03d", 1:K), N, TRUE)        dictionary-encoded strings, K values
//   id3      = sample(sprintf("id%010d", 1:(N/K)), N, TRUE)   dictionary-encoded strings, N/K values
//   id4, id5 = sample(K, N, TRUE); id6 = sample(N/K, N, TRUE)  int32
//   v1 = sample(5, N, TRUE); v2 = sample(15, N, TRUE)          int32
//   v3 = round(runif(N, max = 100), 6)                         float64
// With `nas` percent, each column gets floor(N * nas / 100) nulls at distinct random rows (as the R script).
// R's Mersenne Twister is replaced by mulberry32, so values differ from R's file but the shape is the same.
import { mulberry32 } from "@tessera/common";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as arrow from "apache-arrow";
import { DOUBLE, DuckDBDataChunk, INTEGER, VARCHAR } from "@duckdb/node-api";
import { vectorValues } from "./compare.js";
import { duck, duckRun, sqlString } from "./duck.js";

/** Bump when the generated values change, so stale cached files are not reused. */
const GENERATOR_VERSION = 1;

export interface G1Options {
  /** Rows. */
  n: number;
  /** Groups: id1/id2/id4/id5 take K values, id3/id6 take N/K. Default 100. */
  k?: number;
  /** Percent of nulls per column, 0..100. Default 0. */
  nas?: number;
  /** PRNG seed. Default 108 (the R script's set.seed). */
  seed?: number;
}

export interface G1ParquetOptions extends G1Options {
  /** Rows per Parquet row group (DuckDB's default is 122,880). */
  rowGroupSize?: number;
}

export { mulberry32 };

export const G1_COLUMNS = ["id1", "id2", "id3", "id4", "id5", "id6", "v1", "v2", "v3"] as const;

/** The G1 table: id1..id3 Dictionary<Int32, Utf8>, id4..id6, v1, v2 Int32, v3 Float64; one record batch. */
export function g1Table(opts: G1Options): arrow.Table {
  const { n, k, nas, seed } = resolve(opts);
  const rand = mulberry32(seed);
  const groupsSmall = Math.max(1, Math.floor(n / k));
  const sample = (m: number) => {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = Math.floor(rand() * m) + 1;
    return out;
  };
  // Columns in the R script's order, each drawn in full before the next.
  const id1 = sample(k);
  const id2 = sample(k);
  const id3 = sample(groupsSmall);
  const id4 = sample(k);
  const id5 = sample(k);
  const id6 = sample(groupsSmall);
  const v1 = sample(5);
  const v2 = sample(15);
  const v3 = new Float64Array(n);
  for (let i = 0; i < n; i++) v3[i] = Math.round(rand() * 100 * 1e6) / 1e6;

  const nullCount = Math.floor((n * nas) / 100);
  const validity = () => (nullCount > 0 ? nullBitmap(n, nullCount, rand) : undefined);

  const idLabels = (count: number, width: number) =>
    arrow.vectorFromArray(Array.from({ length: count }, (_, i) => `id${String(i + 1).padStart(width, "0")}`), new arrow.Utf8());
  const labelsK = idLabels(k, 3);
  const labelsSmall = idLabels(groupsSmall, 10);

  const dictType = () => new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32());
  const dictColumn = (codes: Int32Array, labels: arrow.Vector<arrow.Utf8>) => {
    const indices = codes.map((c) => c - 1); // 1-based sample → 0-based dictionary index
    const bitmap = validity();
    return arrow.makeVector(arrow.makeData({
      type: dictType(), length: n, data: indices, dictionary: labels,
      nullCount: bitmap === undefined ? 0 : nullCount, nullBitmap: bitmap,
    }));
  };
  const intColumn = (values: Int32Array) => {
    const bitmap = validity();
    return arrow.makeVector(arrow.makeData({
      type: new arrow.Int32(), length: n, data: values, nullCount: bitmap === undefined ? 0 : nullCount, nullBitmap: bitmap,
    }));
  };
  const floatColumn = (values: Float64Array) => {
    const bitmap = validity();
    return arrow.makeVector(arrow.makeData({
      type: new arrow.Float64(), length: n, data: values, nullCount: bitmap === undefined ? 0 : nullCount, nullBitmap: bitmap,
    }));
  };
  return new arrow.Table({
    id1: dictColumn(id1, labelsK),
    id2: dictColumn(id2, labelsK),
    id3: dictColumn(id3, labelsSmall),
    id4: intColumn(id4),
    id5: intColumn(id5),
    id6: intColumn(id6),
    v1: intColumn(v1),
    v2: intColumn(v2),
    v3: floatColumn(v3),
  });
}

/** A validity bitmap (1 = valid) with exactly `nulls` cleared bits at distinct random rows. */
function nullBitmap(n: number, nulls: number, rand: () => number): Uint8Array {
  const bitmap = new Uint8Array(Math.ceil(n / 8)).fill(0xff);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = 0; i < nulls; i++) { // partial Fisher-Yates: the first `nulls` slots are a uniform sample
    const j = i + Math.floor(rand() * (n - i));
    const row = order[j] as number;
    order[j] = order[i] as number;
    order[i] = row;
    bitmap[row >> 3] = (bitmap[row >> 3] as number) & ~(1 << (row & 7));
  }
  return bitmap;
}

function resolve(opts: G1Options): Required<G1Options> {
  const out = { n: opts.n, k: opts.k ?? 100, nas: opts.nas ?? 0, seed: opts.seed ?? 108 };
  if (!Number.isInteger(out.n) || out.n <= 0) throw new Error(`g1: n must be a positive integer, got ${out.n}`);
  if (!Number.isInteger(out.k) || out.k <= 0) throw new Error(`g1: k must be a positive integer, got ${out.k}`);
  if (!(out.nas >= 0 && out.nas <= 100)) throw new Error(`g1: nas must be a percentage, got ${out.nas}`);
  return out;
}

/** Where generated test data is cached across runs (override with TESSERA_TEST_DATA). */
export function dataCacheDir(): string {
  const dir = process.env.TESSERA_TEST_DATA ?? join(tmpdir(), "tessera-test-data");
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Path of a G1 Parquet file written by DuckDB from `g1Table(opts)` (strings as plain UTF-8, ints as INT32,
 * v3 as DOUBLE), generated on first use and cached by (n, k, nas, seed, rowGroupSize, generator version).
 * Safe when several test files ask at once: each writes its own temporary file and renames it into place.
 */
export async function g1Parquet(opts: G1ParquetOptions): Promise<string> {
  const { n, k, nas, seed } = resolve(opts);
  const rg = opts.rowGroupSize;
  const name = `g1_n${n}_k${k}_na${nas}_s${seed}${rg === undefined ? "" : `_rg${rg}`}_v${GENERATOR_VERSION}.parquet`;
  const path = join(dataCacheDir(), name);
  if (existsSync(path)) return path;
  const table = `g1_load_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  const tmp = `${path}.${process.pid}.${Math.floor(Math.random() * 1e9)}.tmp`;
  try {
    await loadIntoDuck(table, g1Table({ n, k, nas, seed }));
    const rgOpt = rg === undefined ? "" : `, ROW_GROUP_SIZE ${rg}`;
    await duckRun(`COPY ${table} TO ${sqlString(tmp)} (FORMAT parquet${rgOpt})`);
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
    await duckRun(`DROP TABLE IF EXISTS ${table}`);
  }
  return path;
}

/** Creates DuckDB table `name` holding a G1 Arrow table, appended one 2,048-row chunk at a time. */
export async function loadIntoDuck(name: string, table: arrow.Table): Promise<void> {
  const conn = await duck();
  await conn.run(
    `CREATE TABLE ${name} (id1 VARCHAR, id2 VARCHAR, id3 VARCHAR, id4 INTEGER, id5 INTEGER, id6 INTEGER, v1 INTEGER, v2 INTEGER, v3 DOUBLE)`,
  );
  const types = [VARCHAR, VARCHAR, VARCHAR, INTEGER, INTEGER, INTEGER, INTEGER, INTEGER, DOUBLE];
  const columns = G1_COLUMNS.map((c) => vectorValues(table.getChild(c) as arrow.Vector) as (string | number | null)[]);
  const appender = await conn.createAppender(name);
  const CHUNK = 2048; // DuckDB's vector size: the most rows one data chunk holds
  for (let start = 0; start < table.numRows; start += CHUNK) {
    const end = Math.min(start + CHUNK, table.numRows);
    const chunk = DuckDBDataChunk.create(types, end - start);
    chunk.setColumns(columns.map((values) => values.slice(start, end)));
    appender.appendDataChunk(chunk);
  }
  appender.flushSync();
  appender.closeSync();
}
