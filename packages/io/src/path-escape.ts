// Data in paths: escaping values into path components as Hive and Spark do, so no value adds or climbs a component.
import { IoError } from "@tessera/common";

/** The directory name Hive and Spark write for a null partition value. */
export const HIVE_NULL = "__HIVE_DEFAULT_PARTITION__";

/**
 * Characters escaped as %XX (upper-case hex): every control character, and " # % ' * / : = ? \ { [ ] ^ (the
 * set of Hive's FileUtils.escapePathName and Spark's ExternalCatalogUtils.escapePathName). All else, Unicode included,
 * is kept as is, so paths stay readable and Hive/Spark/DuckDB/pyarrow read them as they would their own.
 */
const ESCAPED: ReadonlySet<number> = new Set([
  ...Array.from({ length: 0x20 }, (_, i) => i), 0x7f,
  ...Array.from('"#%\'*/:=?\\{[]^', (c) => c.charCodeAt(0)),
]);

const hex = (code: number): string => `%${code.toString(16).toUpperCase().padStart(2, "0")}`;

/** `s` with every ESCAPED character replaced by %XX. The result has no "/" and no "%" except as escapes. */
export function escapePathComponent(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += ESCAPED.has(c) ? hex(c) : s[i];
  }
  return out;
}

/**
 * A value as a whole path segment of a template (`{feature}/regional/{region}.csv`): escaped as above, and "."
 * and ".." spelled %2E and %2E%2E so the segment cannot name the directory itself or its parent. An empty value
 * has no segment: it throws IoError IO_BAD_PATH_VALUE (the caller decides how empty values are named).
 */
export function escapePathSegment(value: string): string {
  if (value.length === 0) throw new IoError("IO_BAD_PATH_VALUE", "an empty value cannot be a path segment");
  if (value === "." || value === "..") return value.replaceAll(".", "%2E");
  return escapePathComponent(value);
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Undoes escaping: each run of %XX escapes is decoded as UTF-8 bytes (as pyarrow and URL encoders write them), or
 * byte by byte as Latin-1 characters when the run is not valid UTF-8 (as Hive decodes). A "%" not followed by two
 * hex digits is literal. Inverse of escapePathComponent and escapePathSegment.
 */
export function unescapePathComponent(s: string): string {
  if (!s.includes("%")) return s;
  let out = "";
  let i = 0;
  while (i < s.length) {
    if (s[i] !== "%" || !/^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      out += s[i];
      i++;
      continue;
    }
    const bytes: number[] = [];
    while (s[i] === "%" && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 3;
    }
    try {
      out += utf8.decode(Uint8Array.from(bytes));
    } catch {
      for (const b of bytes) out += String.fromCharCode(b);
    }
  }
  return out;
}

/**
 * The `name=value` directory of a Hive partition: both sides escaped; null as HIVE_NULL; the empty string as
 * `name=` (Hive and Spark write empty strings as null; Tessera keeps them apart); a string equal to HIVE_NULL
 * with its first character escaped, so it reads back as that string and not as null.
 */
export function hiveSegment(name: string, value: string | null): string {
  const v = value === null ? HIVE_NULL : value === HIVE_NULL ? `%5F${HIVE_NULL.slice(1)}` : escapePathComponent(value);
  return `${escapePathComponent(name)}=${v}`;
}

/** The name and value of a `name=value` segment (value null for HIVE_NULL), or null when it is not one. */
export function parseHiveSegment(segment: string): { readonly name: string; readonly value: string | null } | null {
  const eq = segment.indexOf("=");
  if (eq <= 0) return null;
  const raw = segment.slice(eq + 1);
  return { name: unescapePathComponent(segment.slice(0, eq)), value: raw === HIVE_NULL ? null : unescapePathComponent(raw) };
}
