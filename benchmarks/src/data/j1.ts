// db-benchmark's J1 join data (join-datagen.R): table x and the small, medium and big right-hand tables, as Parquet.
//
// Follows _data/join-datagen.R (nas = 0, unsorted), with seed 108 and mulberry32 in place of R's generator:
//   split_xlr(n): key = sample.int(1.1 n); x = key[1..0.9n], l = key[0.9n+1..n], r = key[n+1..1.1n]
//   sample_all(pool, size): every pool value once plus size-|pool| drawn with replacement, shuffled
//   key1 = split_xlr(N/1e6), key2 = split_xlr(N/1e3), key3 = split_xlr(N)
//   x:      id1..id3 = sample_all(c(keyi$x, keyi$l), N); id4..id6 = sprintf("id%.0f", id1..id3); v1 = round(runif(N, 100), 6)
//   small:  N/1e6 rows: id1, id4, v2       (keys from c(key1$x, key1$r))
//   medium: N/1e3 rows: id1, id2, id4, id5, v2
//   big:    N rows:     id1, id2, id3, id4, id5, id6, v2
// Below N = 1e7 the small and medium key sets keep at least 10 keys (the R script's N/1e6 would be 1 or fewer).
// id4 and id5 are dictionary-encoded strings, id6 (about N distinct values) plain strings.
import { join } from "node:path";
import type { Field } from "@tessera/common";
import type { Batch, Column } from "@tessera/kernels";
import { makeBatch, makeNumColumn } from "@tessera/kernels";
import { writeParquet } from "@tessera/io";
import { Rng } from "./prng.js";
import { cached, dataDir, sizeLabel, writeAtomically } from "./data-dir.js";
import { idDict, idStrings } from "./id-strings.js";

const J1_VERSION = 1;

export const J1_TABLES = ["x", "small", "medium", "big"] as const;
export type J1Table = (typeof J1_TABLES)[number];

interface KeySplit { x: Int32Array; l: Int32Array; r: Int32Array }

function splitXlr(rng: Rng, n: number): KeySplit {
  const key = rng.permutation(Math.round(n * 1.1));
  const nx = Math.round(n * 0.9);
  return { x: key.subarray(0, nx), l: key.subarray(nx, n), r: key.subarray(n) };
}

function concat(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function sampleAll(rng: Rng, pool: Int32Array, size: number): Int32Array {
  if (pool.length > size) throw new Error(`sample_all: pool of ${pool.length} is larger than ${size}`);
  return rng.shuffle(concat(pool, rng.draw(pool, size - pool.length)));
}

const int = (name: string): Field => ({ name, type: "int32", nullable: false });
const str = (name: string): Field => ({ name, type: "utf8", nullable: false });
const dbl = (name: string): Field => ({ name, type: "float64", nullable: false });

/** The four J1 tables as Tessera batches, generated in the R script's order. */
export function j1Batches(n: number, seed = 108): Record<J1Table, Batch> {
  if (!Number.isInteger(n) || n < 1000) throw new Error(`J1 needs an integer N of at least 1000, got ${n}`);
  const rng = new Rng(seed);
  const n1 = Math.max(10, Math.round(n / 1e6));
  const n2 = Math.max(10, Math.round(n / 1e3));
  const key1 = splitXlr(rng, n1);
  const key2 = splitXlr(rng, n2);
  const key3 = splitXlr(rng, n);

  const xId1 = sampleAll(rng, concat(key1.x, key1.l), n);
  const xId2 = sampleAll(rng, concat(key2.x, key2.l), n);
  const xId3 = sampleAll(rng, concat(key3.x, key3.l), n);
  const x = makeBatch(
    [int("id1"), int("id2"), int("id3"), str("id4"), str("id5"), str("id6"), dbl("v1")],
    [num(xId1), num(xId2), num(xId3), idDict(xId1), idDict(xId2), idStrings(xId3), makeNumColumn("float64", rng.uniform(n, 100))],
    n,
  );

  const sId1 = sampleAll(rng, concat(key1.x, key1.r), n1);
  const small = makeBatch([int("id1"), str("id4"), dbl("v2")], [num(sId1), idDict(sId1), makeNumColumn("float64", rng.uniform(n1, 100))], n1);

  const mId1 = sampleAll(rng, concat(key1.x, key1.r), n2);
  const mId2 = sampleAll(rng, concat(key2.x, key2.r), n2);
  const medium = makeBatch(
    [int("id1"), int("id2"), str("id4"), str("id5"), dbl("v2")],
    [num(mId1), num(mId2), idDict(mId1), idDict(mId2), makeNumColumn("float64", rng.uniform(n2, 100))],
    n2,
  );

  const bId1 = sampleAll(rng, concat(key1.x, key1.r), n);
  const bId2 = sampleAll(rng, concat(key2.x, key2.r), n);
  const bId3 = sampleAll(rng, concat(key3.x, key3.r), n);
  const big = makeBatch(
    [int("id1"), int("id2"), int("id3"), str("id4"), str("id5"), str("id6"), dbl("v2")],
    [num(bId1), num(bId2), num(bId3), idDict(bId1), idDict(bId2), idStrings(bId3), makeNumColumn("float64", rng.uniform(n, 100))],
    n,
  );
  return { x, small, medium, big };
}

function num(values: Int32Array): Column {
  return makeNumColumn("int32", values);
}

export function j1Path(n: number, table: J1Table): string {
  return join(dataDir(), `J1_${sizeLabel(n)}_${table}_NA0_v${J1_VERSION}.parquet`);
}

/** Paths of the four J1 Parquet files for N rows (all generated together on first use). */
export async function j1Parquet(n: number): Promise<Record<J1Table, string>> {
  const paths = Object.fromEntries(J1_TABLES.map((t) => [t, j1Path(n, t)])) as Record<J1Table, string>;
  // x is written last, so its presence means the set is complete.
  await cached(paths.x, () => {
    const batches = j1Batches(n);
    for (const t of ["small", "medium", "big", "x"] as const) {
      writeAtomically(paths[t], writeParquet([batches[t]], batches[t].fields));
    }
  });
  return paths;
}
