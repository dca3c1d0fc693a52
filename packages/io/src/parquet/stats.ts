// Column-chunk statistics decoded into the column's logical type, so row groups can be pruned by value.
import type { Field } from "@tessera/common";
import type { ColumnDesc, TimeUnit } from "./columns.js";
import { PhysicalType as P, type RawStatistics } from "./footer.js";

/** A statistic in the column's logical type: 64-bit integers are numbers when safe, else bigint. */
export type StatValue = number | string | bigint | boolean | null;

export interface ColumnStats {
  readonly min: StatValue;
  readonly max: StatValue;
  readonly nullCount: number | null;
}

const utf8 = new TextDecoder();
const PER_SECOND: Record<TimeUnit, bigint> = { s: 1n, ms: 1000n, us: 1_000_000n, ns: 1_000_000_000n };

function int64(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

// Division rounding towards -infinity (for minimums) or +infinity (for maximums), so bounds stay bounds.
function rescale(v: bigint, from: TimeUnit, to: TimeUnit, roundUp: boolean): bigint {
  const a = PER_SECOND[from], b = PER_SECOND[to];
  if (a === b) return v;
  if (b > a) return v * (b / a);
  const d = a / b;
  const q = v / d, r = v % d;
  if (r === 0n) return q;
  if (roundUp) return v > 0n ? q + 1n : q;
  return v < 0n ? q - 1n : q;
}

function decode(bytes: Uint8Array, desc: ColumnDesc, field: Field, isMax: boolean): StatValue {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (desc.physical) {
    case P.BOOLEAN: return bytes.length >= 1 ? bytes[0] !== 0 : null;
    case P.INT32:
      if (bytes.length < 4) return null;
      return desc.unsigned ? dv.getUint32(0, true) : dv.getInt32(0, true);
    case P.INT64: {
      if (bytes.length < 8) return null;
      let v = desc.unsigned ? dv.getBigUint64(0, true) : dv.getBigInt64(0, true);
      const to = /^timestamp\[(\w+)\]$/.exec(field.type)?.[1] as TimeUnit | undefined;
      if (desc.storedUnit !== null && to !== undefined) v = rescale(v, desc.storedUnit, to, isMax);
      return int64(v);
    }
    case P.FLOAT: {
      if (bytes.length < 4) return null;
      const f = dv.getFloat32(0, true);
      return Number.isNaN(f) ? null : f;
    }
    case P.DOUBLE: {
      if (bytes.length < 8) return null;
      const f = dv.getFloat64(0, true);
      return Number.isNaN(f) ? null : f;
    }
    case P.BYTE_ARRAY: return utf8.decode(bytes);
    default: return null;  // INT96 and fixed-length values carry no usable order
  }
}

/**
 * Statistics of one column chunk. Uses min_value/max_value; falls back to the deprecated min/max only
 * where their signed byte order was right (signed integers, floats, booleans), never for strings or
 * unsigned integers. Unknown bounds are null.
 */
export function columnStats(raw: RawStatistics | undefined, desc: ColumnDesc): ColumnStats {
  const field = desc.field;
  if (raw === undefined || field === null) return { min: null, max: null, nullCount: raw?.nullCount ?? null };
  const legacyOk = !desc.unsigned && desc.physical !== P.BYTE_ARRAY && desc.physical !== P.FIXED_LEN_BYTE_ARRAY && desc.physical !== P.INT96;
  const minB = raw.minValue ?? (legacyOk ? raw.min : undefined);
  const maxB = raw.maxValue ?? (legacyOk ? raw.max : undefined);
  return {
    min: minB === undefined ? null : decode(minB, desc, field, false),
    max: maxB === undefined ? null : decode(maxB, desc, field, true),
    nullCount: raw.nullCount ?? null,
  };
}
