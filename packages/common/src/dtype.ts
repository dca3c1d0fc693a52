// Logical data types of Tessera plans: plain strings, so schemas are data that travel anywhere.

/** A column's logical type. Dictionary encoding is a physical detail; logically it is "utf8". */
export type DType =
  | "null"
  | "bool"
  | "int8" | "int16" | "int32" | "int64"
  | "uint8" | "uint16" | "uint32" | "uint64"
  | "float32" | "float64"
  | "utf8"
  | "date32"
  | "timestamp[s]" | "timestamp[ms]" | "timestamp[us]" | "timestamp[ns]";

export interface Field {
  readonly name: string;
  readonly type: DType;
  readonly nullable: boolean;
}

export type Schema = readonly Field[];

/** Every logical type, in the order error messages list them. */
export const DTYPES: readonly DType[] = [
  "null", "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32", "float64", "utf8", "date32",
  "timestamp[s]", "timestamp[ms]", "timestamp[us]", "timestamp[ns]",
];

export const INTEGER_TYPES: readonly DType[] = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"];
export const FLOAT_TYPES: readonly DType[] = ["float32", "float64"];

export function isInteger(t: DType): boolean { return INTEGER_TYPES.includes(t); }
export function isFloat(t: DType): boolean { return t === "float32" || t === "float64"; }
export function isNumeric(t: DType): boolean { return isInteger(t) || isFloat(t); }
export function isTemporal(t: DType): boolean { return t === "date32" || t.startsWith("timestamp"); }

/** Milliseconds per unit of a timestamp type (fractional for us/ns). */
export function timestampUnitMs(t: DType): number {
  switch (t) {
    case "timestamp[s]": return 1000;
    case "timestamp[ms]": return 1;
    case "timestamp[us]": return 1e-3;
    case "timestamp[ns]": return 1e-6;
    default: return Number.NaN;
  }
}

/** The type two numeric operands are promoted to in arithmetic, or null when they do not combine. */
export function promoteNumeric(a: DType, b: DType): DType | null {
  if (a === "null") return b;
  if (b === "null") return a;
  if (!isNumeric(a) || !isNumeric(b)) return null;
  if (isFloat(a) || isFloat(b)) return "float64";
  if (a === b) return a;
  if (a === "int64" || b === "int64" || a === "uint64" || b === "uint64") return "int64";
  return "int64";
}

export function fieldNames(schema: Schema): string[] {
  return schema.map((f) => f.name);
}
