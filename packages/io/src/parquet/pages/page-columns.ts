// Which columns the page decoder reads, and how each one's physical values become a Tessera column.
import type { DType } from "@tessera/common";
import type { Column, NumArray } from "@tessera/kernels";
import type { ColumnDesc, TimeUnit } from "../columns.js";
import { PhysicalType as P, type Footer } from "../footer.js";
import { canDecompress } from "./decompress.js";
import { Encoding } from "./page-header.js";
import { allocArray, type ColumnMemory } from "./column-memory.js";
import { DictTarget } from "./dict-target.js";
import { FixedTarget, StrTarget, type ValueTarget } from "./value-targets.js";

/** Encodings the page decoder implements (values and levels) by physical type; a chunk listing any other goes to the fallback. */
const COMMON = [Encoding.PLAIN, Encoding.PLAIN_DICTIONARY, Encoding.RLE, Encoding.RLE_DICTIONARY];
const ENCODINGS: Readonly<Record<number, ReadonlySet<number>>> = {
  [P.BOOLEAN]: new Set(COMMON),
  [P.INT32]: new Set([...COMMON, Encoding.DELTA_BINARY_PACKED, Encoding.BYTE_STREAM_SPLIT]),
  [P.INT64]: new Set([...COMMON, Encoding.BYTE_STREAM_SPLIT]),
  [P.FLOAT]: new Set([...COMMON, Encoding.BYTE_STREAM_SPLIT]),
  [P.DOUBLE]: new Set([...COMMON, Encoding.BYTE_STREAM_SPLIT]),
  [P.BYTE_ARRAY]: new Set([...COMMON, Encoding.DELTA_LENGTH_BYTE_ARRAY, Encoding.DELTA_BYTE_ARRAY]),
};

/** Tessera types each physical type can be read as here (the rest go to the fallback decoder). */
const TYPES: Readonly<Record<number, ReadonlySet<DType>>> = {
  [P.BOOLEAN]: new Set<DType>(["bool"]),
  [P.INT32]: new Set<DType>(["int8", "int16", "int32", "uint8", "uint16", "uint32", "date32"]),
  [P.INT64]: new Set<DType>(["int64", "uint64", "timestamp[s]", "timestamp[ms]", "timestamp[us]", "timestamp[ns]"]),
  [P.FLOAT]: new Set<DType>(["float32"]),
  [P.DOUBLE]: new Set<DType>(["float64"]),
  [P.BYTE_ARRAY]: new Set<DType>(["utf8"]),
};

/** Whether every chunk of column `d` in `rowGroups` can be decoded by the page decoder. */
export function pageDecodable(footer: Footer, d: ColumnDesc, rowGroups: readonly number[]): boolean {
  const f = d.field;
  if (f === null || TYPES[d.physical]?.has(f.type) !== true) return false;
  if (f.type.startsWith("timestamp") && d.storedUnit === null) return false;
  return rowGroups.every((rg) => {
    const c = footer.rowGroups[rg]?.columns[d.leaf];
    return c !== undefined && canDecompress(c.codec) && c.encodings.every((e) => ENCODINGS[d.physical]?.has(e) === true);
  });
}

const UNITS: Readonly<Record<TimeUnit, bigint>> = { s: 1n, ms: 1_000n, us: 1_000_000n, ns: 1_000_000_000n };

/** Timestamps in the stored unit → the field's unit (truncating toward zero, as Arrow's cast). */
function rescale(v: BigInt64Array, from: TimeUnit, to: TimeUnit): void {
  if (from === to) return;
  const a = UNITS[from], b = UNITS[to];
  if (b > a) { const k = b / a; for (let i = 0; i < v.length; i++) v[i] = (v[i] as bigint) * k; }
  else { const k = a / b; for (let i = 0; i < v.length; i++) v[i] = (v[i] as bigint) / k; }
}

/** Physical values → the field's typed array (zero-copy where the bits agree, else one converting copy). */
function toFieldArray(type: DType, values: NumArray, length: number, memory: ColumnMemory): NumArray {
  switch (type) {
    case "int8": { const o = allocArray(memory, Int8Array, length); o.set(values.subarray(0, length) as Int32Array); return o; }
    case "int16": { const o = allocArray(memory, Int16Array, length); o.set(values.subarray(0, length) as Int32Array); return o; }
    case "uint8": { const o = allocArray(memory, Uint8Array, length); o.set(values.subarray(0, length) as Int32Array); return o; }
    case "uint16": { const o = allocArray(memory, Uint16Array, length); o.set(values.subarray(0, length) as Int32Array); return o; }
    case "uint32": return new Uint32Array(values.buffer, values.byteOffset, length);
    case "uint64": return new BigUint64Array(values.buffer, values.byteOffset, length);
    default: return values.subarray(0, length);
  }
}

/** The value target for column `d` of a read of `total` rows; `dictionary` keeps utf8 as a DictColumn. */
export function targetFor(d: ColumnDesc, total: number, dictionary: boolean, memory: ColumnMemory): ValueTarget {
  const f = d.field;
  if (f === null) throw new Error(`column ${d.name} is not readable`);
  if (d.physical === P.BYTE_ARRAY) return dictionary ? new DictTarget(total, memory) : new StrTarget(total, memory);
  return new FixedTarget(d.physical, total, memory, (values, length, valid): Column => {
    const out = toFieldArray(f.type, values, length, memory);
    if (f.type.startsWith("timestamp")) rescale(out as BigInt64Array, d.storedUnit as TimeUnit, f.type.slice(10, -1) as TimeUnit);
    return { kind: "num", type: f.type, length, values: out, valid };
  });
}
