// Comparators between rows of two key-column sets (or one set with itself), for merging and range partitioning.
import { assertNever, ExecutionError } from "@tessera/common";
import type { Column, NumColumn } from "../column.js";
import { denseRanks } from "./column-ranks.js";
import { compareBytes } from "../strings.js";
import type { SortSpec } from "./sort-keys.js";

/** Sign of the order of row i of the left set against row j of the right set under a SortSpec. */
export type RowComparator = (i: number, j: number) => number;

/**
 * Builds a comparator of row i of `left` against row j of `right` (key columns in spec order; the same
 * array for both sides compares rows of one batch). Compiled once per call; a comparison allocates nothing.
 */
export function makeRowComparator(left: readonly Column[], right: readonly Column[], spec: SortSpec): RowComparator {
  const cmps = left.map((a, k) => withNulls(a, right[k]!, baseCompare(a, right[k]!), spec.descending[k]!, spec.nullsLast[k]!));
  if (cmps.length === 1) return cmps[0]!;
  return (i, j) => {
    for (let k = 0; k < cmps.length; k++) {
      const c = cmps[k]!(i, j);
      if (c !== 0) return c;
    }
    return 0;
  };
}

function withNulls(a: Column, b: Column, base: RowComparator, descending: boolean, nullsLast: boolean): RowComparator {
  const va = a.valid;
  const vb = b.valid;
  const cmp: RowComparator = descending ? (i, j) => -base(i, j) : base;
  if (va === null && vb === null) return cmp;
  const nullVsValue = nullsLast ? 1 : -1;
  return (i, j) => {
    const na = va !== null && va[i] === 0;
    const nb = vb !== null && vb[j] === 0;
    if (na || nb) return na === nb ? 0 : na ? nullVsValue : -nullVsValue;
    return cmp(i, j);
  };
}

/** Ascending comparison of non-null values; NaN greatest, -0 equal to 0, strings by bytes. */
function baseCompare(a: Column, b: Column): RowComparator {
  if (a.kind === "num" && b.kind === "num") return numCompare(a, b);
  if (a.kind !== "num" && b.kind !== "num") {
    if (a.kind === "dict" && b.kind === "dict" && a.dict === b.dict) {
      const ranks = denseRanks(a.dict).ranks; // one shared dictionary: rank it once, compare ranks
      const ia = a.indices;
      const ib = b.indices;
      return (i, j) => ranks[ia[i]!]! - ranks[ib[j]!]!;
    }
    const sa = strSource(a);
    const sb = strSource(b);
    return (i, j) => {
      const ea = sa.indices === null ? i : sa.indices[i]!;
      const eb = sb.indices === null ? j : sb.indices[j]!;
      return compareBytes(sa.bytes, sa.offsets[ea]!, sa.offsets[ea + 1]!, sb.bytes, sb.offsets[eb]!, sb.offsets[eb + 1]!);
    };
  }
  throw new ExecutionError("SORT_KEY_TYPE_MISMATCH", `cannot compare a ${a.type} key with a ${b.type} key`);
}

function strSource(c: Column): { bytes: Uint8Array; offsets: Int32Array; indices: Int32Array | null } {
  switch (c.kind) {
    case "str": return { bytes: c.bytes, offsets: c.offsets, indices: null };
    case "dict": return { bytes: c.dict.bytes, offsets: c.dict.offsets, indices: c.indices };
    case "num": throw new ExecutionError("SORT_KEY_TYPE_MISMATCH", `expected a string key, got ${c.type}`);
    default: return assertNever(c, "column kind");
  }
}

function numCompare(a: NumColumn, b: NumColumn): RowComparator {
  if (a.type !== b.type) {
    throw new ExecutionError("SORT_KEY_TYPE_MISMATCH", `cannot compare a ${a.type} key with a ${b.type} key`);
  }
  switch (a.type) {
    case "float32": case "float64": {
      const x = a.values as Float32Array | Float64Array;
      const y = b.values as Float32Array | Float64Array;
      return (i, j) => compareFloat(x[i]!, y[j]!);
    }
    case "int64": case "uint64":
    case "timestamp[s]": case "timestamp[ms]": case "timestamp[us]": case "timestamp[ns]": {
      // 32-bit views avoid allocating a BigInt per element read; the high word decides first.
      const signed = a.type !== "uint64";
      const xa = words(a.values as BigInt64Array, signed);
      const xb = words(b.values as BigInt64Array, signed);
      const la = xa.lo;
      const lb = xb.lo;
      const ha = xa.hi;
      const hb = xb.hi;
      return (i, j) => {
        const h = ha[2 * i + 1]! - hb[2 * j + 1]!;
        return h !== 0 ? h : la[2 * i]! - lb[2 * j]!;
      };
    }
    case "bool": case "int8": case "int16": case "int32": case "uint8": case "uint16": case "uint32": case "date32": {
      const x = a.values as Int32Array;
      const y = b.values as Int32Array;
      return (i, j) => x[i]! - y[j]!;
    }
    case "null": return () => 0; // every row is null; withNulls decides
    case "utf8":
      throw new ExecutionError("SORT_KEY_TYPE", `cannot order a numeric column of type ${a.type}`);
    default: return assertNever(a.type, "dtype");
  }
}

function words(v: BigInt64Array | BigUint64Array, signed: boolean): { hi: Int32Array | Uint32Array; lo: Uint32Array } {
  const lo = new Uint32Array(v.buffer, v.byteOffset, v.length * 2);
  return { hi: signed ? new Int32Array(v.buffer, v.byteOffset, v.length * 2) : lo, lo };
}

/** Total order on floats: NaN after +Infinity (all NaN equal), -0 equal to 0. */
export function compareFloat(x: number, y: number): number {
  if (x < y) return -1;
  if (x > y) return 1;
  if (x === y) return 0;
  const xn = x !== x;
  const yn = y !== y;
  return xn === yn ? 0 : xn ? 1 : -1;
}
