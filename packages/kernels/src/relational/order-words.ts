// Order-preserving 32-bit words per row for a sort spec: rows compare as their word tuples compare, with no ranking pass.
import { assertNever } from "@tessera/common";
import type { Batch, Column, NumColumn } from "../column.js";
import { denseRanks, float32Words, float64Words, int64SortWords } from "./column-ranks.js";
import { sortKeyColumns, type SortSpec } from "./sort-keys.js";
import { scratchArray } from "../scratch.js";

/** Unsigned words of a numeric column whose unsigned order is the values' order (NaN last, -0 as 0). */
function numberWords(col: NumColumn): Uint32Array[] {
  const v = col.values;
  switch (col.type) {
    case "null": case "bool": case "uint8": case "uint16": case "uint32":
      return [Uint32Array.from(v as ArrayLike<number>)];
    case "int8": case "int16": case "int32": case "date32": {
      const x = v as Int32Array | Int16Array | Int8Array;
      const out = scratchArray(Uint32Array, x.length, false);
      for (let i = 0; i < x.length; i++) out[i] = ((x[i] as number) ^ 0x80000000) >>> 0;
      return [out];
    }
    case "float32": return [float32Words(v as Float32Array)];
    case "float64": { const w = float64Words(v as Float64Array); return [w.hi, w.lo]; }
    case "int64": case "uint64": case "timestamp[s]": case "timestamp[ms]": case "timestamp[us]": case "timestamp[ns]": {
      const w = int64SortWords(v as BigInt64Array | BigUint64Array, col.type !== "uint64");
      return [w.hi, w.lo];
    }
    case "utf8": return [denseRanks(col).ranks];
    default: return assertNever(col.type, "dtype");
  }
}

/**
 * The words of one sort key, most significant first: a null flag first when the column has nulls (ordering nulls
 * first or last whatever the direction), then the value words, complemented for a descending key. Strings use their
 * dense ranks (one word).
 */
export function keyOrderWords(col: Column, descending: boolean, nullsLast: boolean): Uint32Array[] {
  const words = col.kind === "num" ? numberWords(col) : [denseRanks(col).ranks];
  if (descending) for (const w of words) for (let i = 0; i < w.length; i++) w[i] = ~(w[i] as number) >>> 0;
  const valid = col.valid;
  if (valid === null) return words;
  const flag = scratchArray(Uint32Array, col.length, false);
  const nullWord = nullsLast ? 1 : 0;
  for (let i = 0; i < flag.length; i++) flag[i] = valid[i] === 0 ? nullWord : 1 - nullWord;
  for (const w of words) for (let i = 0; i < w.length; i++) if (valid[i] === 0) w[i] = 0;
  return [flag, ...words];
}

/**
 * The words of every key of `spec` over `b`, most significant first: row a sorts before row b iff its tuple is smaller.
 * Large columns' words are scratch arrays (scratch.ts): temporaries of the caller's task, never part of its result.
 */
export function orderWords(b: Batch, spec: SortSpec): Uint32Array[] {
  return sortKeyColumns(b, spec).flatMap((c, k) => keyOrderWords(c, spec.descending[k]!, spec.nullsLast[k]!));
}

/** Compares rows a and b by their word tuples: negative, zero or positive. */
export function compareWordRows(words: readonly Uint32Array[], a: number, b: number): number {
  for (let k = 0; k < words.length; k++) {
    const w = words[k] as Uint32Array;
    const x = w[a] as number;
    const y = w[b] as number;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
