// Hive-style partitions: `key=value/` directory segments become columns, typed consistently across files.
import type { Field } from "@tessera/common";
import type { Batch, Column, DictColumn, NumColumn } from "@tessera/kernels";
import { globPrefix, hasGlob } from "./store/glob.js";
import { normalizeUrl } from "./url.js";
import { parseHiveSegment } from "./path-escape.js";

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * The `key=value` pairs in the directory part of `url` below the dataset root. `rootOrPattern` is the
 * root directory or the glob the file came from (its literal prefix is the root); when `url` is not
 * under it, every directory segment of `url` counts. Keys and values are unescaped (path-escape.ts); a
 * repeated key keeps its deepest value; a HIVE_NULL directory gives null.
 */
export function hivePartitionValues(url: string, rootOrPattern: string): Record<string, string | null> {
  const file = normalizeUrl(url);
  const pattern = normalizeUrl(rootOrPattern);
  let root = hasGlob(pattern) ? globPrefix(pattern) : pattern;
  if (root !== file && !root.endsWith("/")) root += "/";
  const rel = file.startsWith(root) ? file.slice(root.length) : file.replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//, "");
  const segments = rel.split("/");
  segments.pop();  // the file name itself
  const out: Record<string, string | null> = {};
  for (const seg of segments) {
    const kv = parseHiveSegment(seg);
    if (kv !== null) out[kv.name] = kv.value;
  }
  return out;
}

function isInt64(s: string): boolean {
  if (!/^[-+]?\d{1,19}$/.test(s)) return false;
  const v = BigInt(s);
  return v >= INT64_MIN && v <= INT64_MAX;
}

/**
 * One field per partition key over all files' values (keys in order of first appearance): int64 when
 * every non-null value is an integer, else utf8. Nullable when some file has a null value or lacks the key.
 */
export function hiveFields(values: readonly Record<string, string | null>[]): Field[] {
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const v of values) for (const k of Object.keys(v)) if (!seen.has(k)) { seen.add(k); keys.push(k); }
  return keys.map((name) => {
    let allInt = true, nonNull = 0, nullable = false;
    for (const v of values) {
      const raw = v[name];
      if (raw === undefined || raw === null) { nullable = true; continue; }
      nonNull++;
      if (allInt && !isInt64(raw)) allInt = false;
    }
    return { name, type: allInt && nonNull > 0 ? "int64" : "utf8", nullable };
  });
}

/** A partition value in a hive field's type: bigint for int64, string for utf8, null when null or absent. */
export function hiveValue(raw: string | null | undefined, field: Field): bigint | string | null {
  if (raw === undefined || raw === null) return null;
  return field.type === "int64" ? BigInt(raw) : raw;
}

function constantColumn(value: bigint | string | null, field: Field, length: number): Column {
  const valid = value === null ? new Uint8Array(length) : null;
  if (field.type === "int64") {
    const values = new BigInt64Array(length);
    if (typeof value === "bigint") values.fill(value);
    const col: NumColumn = { kind: "num", type: "int64", length, values, valid };
    return col;
  }
  // A string partition value is one dictionary entry referenced by every row: no per-row bytes.
  const bytes = new TextEncoder().encode(typeof value === "string" ? value : "");
  const dict = { kind: "str", type: "utf8", length: 1, offsets: Int32Array.of(0, bytes.length), bytes, valid: null } as const;
  const col: DictColumn = { kind: "dict", type: "utf8", length, indices: new Int32Array(length), dict, valid };
  return col;
}

/** `batch` with one constant column appended per hive field (values from hivePartitionValues for its file). */
export function withHiveColumns(batch: Batch, values: Record<string, string | null>, fields: readonly Field[]): Batch {
  const cols = fields.map((f) => constantColumn(hiveValue(values[f.name], f), f, batch.length));
  return { fields: [...batch.fields, ...fields], columns: [...batch.columns, ...cols], length: batch.length };
}
