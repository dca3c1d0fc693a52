// db-benchmark's G1 group-by data (groupby-datagen.R), generated deterministically and written as Parquet by Tessera.
//
// Follows _data/groupby-datagen.R, column by column in its order (nas = 0, unsorted):
//   id1, id2 = sample(sprintf("id%03d", 1:K), N, TRUE)        strings (dictionary-encoded), K values
//   id3      = sample(sprintf("id%010d", 1:(N/K)), N, TRUE)   strings (dictionary-encoded), N/K values
//   id4, id5 = sample(K, N, TRUE); id6 = sample(N/K, N, TRUE)  int32
//   v1 = sample(5, N, TRUE); v2 = sample(15, N, TRUE)          int32
//   v3 = round(runif(N, max = 100), 6)                         float64
// R's Mersenne Twister is replaced by a seeded mulberry32 (seed 108, as the R script's set.seed), so values
// differ from R's file while the distributions and the group counts are the same.
import { join } from "node:path";
import type { Field } from "@tessera/common";
import type { Batch, Column, DictColumn } from "@tessera/kernels";
import { makeBatch, makeNumColumn, strColumnFromStrings } from "@tessera/kernels";
import { writeParquet } from "@tessera/io";
import { Rng } from "./prng.js";
import { cached, dataDir, sizeLabel, writeAtomically } from "./data-dir.js";

/** Bump when generated values change, so cached files are not reused. */
const G1_VERSION = 1;

export interface G1Options {
  readonly n: number;
  /** Groups: id1, id2, id4, id5 take K values; id3, id6 take N/K. Default 100. */
  readonly k?: number;
  readonly seed?: number;
}

export const G1_FIELDS: readonly Field[] = [
  ...["id1", "id2", "id3"].map((name) => ({ name, type: "utf8" as const, nullable: false })),
  ...["id4", "id5", "id6", "v1", "v2"].map((name) => ({ name, type: "int32" as const, nullable: false })),
  { name: "v3", type: "float64", nullable: false },
];

/** `count` labels sprintf("id%0<width>d", 1:count) as a string column. */
function labels(count: number, width: number) {
  return strColumnFromStrings(Array.from({ length: count }, (_, i) => `id${String(i + 1).padStart(width, "0")}`));
}

/** A dictionary column from R-style 1-based codes into `dict`. */
export function dictFromCodes(codes: Int32Array, dict: ReturnType<typeof strColumnFromStrings>): DictColumn {
  const indices = new Int32Array(codes.length);
  for (let i = 0; i < codes.length; i++) indices[i] = (codes[i] as number) - 1;
  return { kind: "dict", type: "utf8", length: codes.length, indices, dict, valid: null };
}

/** The G1 table as one Tessera batch. */
export function g1Batch(opts: G1Options): Batch {
  const n = opts.n;
  const k = opts.k ?? 100;
  if (!Number.isInteger(n) || n < k) throw new Error(`G1 needs an integer row count of at least K=${k}, got ${n}`);
  const rng = new Rng(opts.seed ?? 108);
  const small = Math.max(1, Math.floor(n / k));
  const labelsK = labels(k, 3);
  const columns: Column[] = [
    dictFromCodes(rng.ints(n, k), labelsK),
    dictFromCodes(rng.ints(n, k), labelsK),
    dictFromCodes(rng.ints(n, small), labels(small, 10)),
    makeNumColumn("int32", rng.ints(n, k)),
    makeNumColumn("int32", rng.ints(n, k)),
    makeNumColumn("int32", rng.ints(n, small)),
    makeNumColumn("int32", rng.ints(n, 5)),
    makeNumColumn("int32", rng.ints(n, 15)),
    makeNumColumn("float64", rng.uniform(n, 100, 6)),
  ];
  return makeBatch(G1_FIELDS, columns, n);
}

/** Path of the G1 Parquet file for n rows (generated on first use, cached under the data directory). */
export function g1Path(n: number, k = 100): string {
  return join(dataDir(), `G1_${sizeLabel(n)}_${sizeLabel(k)}_NA0_v${G1_VERSION}.parquet`);
}

export function g1Parquet(n: number, k = 100): Promise<string> {
  return cached(g1Path(n, k), (path) => {
    writeAtomically(path, writeParquet([g1Batch({ n, k })], G1_FIELDS));
  });
}
