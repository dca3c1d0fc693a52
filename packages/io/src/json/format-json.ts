// JSON text of plain values, in JavaScript's compact spelling or as Python's json.dumps writes it.
import { IoError } from "@tessera/common";
import type { NumberFormat } from "../csv/write.js";
import { formatPythonFloat } from "../text/python-float.js";

/** A JSON-able value. `bigint`s are integers; how `number`s print depends on the format (see formatJson). */
export type JsonValue = null | boolean | number | bigint | string | readonly JsonValue[] | { readonly [key: string]: JsonValue | undefined };

export interface FormatJsonOptions {
  /** "default" (JSON.stringify's text) or "python" (json.dumps' text); see formatJson. */
  readonly numberFormat?: NumberFormat;
}

const HEX = "0123456789abcdef";

/** A string literal with every character outside printable ASCII escaped, as json.dumps(ensure_ascii=True). */
function pythonString(s: string): string {
  let out = '"';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e && c !== 0x22 && c !== 0x5c) continue;
    out += s.slice(from, i);
    from = i + 1;
    switch (c) {
      case 0x22: out += '\\"'; break;
      case 0x5c: out += "\\\\"; break;
      case 0x0a: out += "\\n"; break;
      case 0x0d: out += "\\r"; break;
      case 0x09: out += "\\t"; break;
      case 0x08: out += "\\b"; break;
      case 0x0c: out += "\\f"; break;
      default: out += `\\u${HEX[(c >> 12) & 15]}${HEX[(c >> 8) & 15]}${HEX[(c >> 4) & 15]}${HEX[c & 15]}`;
    }
  }
  return out + s.slice(from) + '"';
}

/** Python's json.dumps spelling of a float: repr digits, and NaN / Infinity / -Infinity for the non-finite. */
function pythonNumber(x: number): string {
  if (x !== x) return "NaN";
  if (x === Infinity) return "Infinity";
  if (x === -Infinity) return "-Infinity";
  return formatPythonFloat(x);
}

interface Spelling {
  readonly str: (s: string) => string;
  readonly num: (x: number) => string;
  readonly comma: string;
  readonly colon: string;
}

const SPELLINGS: Record<NumberFormat, Spelling> = {
  default: { str: (s) => JSON.stringify(s), num: (x) => (Number.isFinite(x) ? String(x) : "null"), comma: ",", colon: ":" },
  python: { str: pythonString, num: pythonNumber, comma: ", ", colon: ": " },
};

function write(v: JsonValue | undefined, sp: Spelling, depth: number): string {
  if (depth > 512) throw new IoError("IO_BAD_OPTION", "formatJson: value nested more than 512 levels deep");
  if (v === null || v === undefined) return "null";
  switch (typeof v) {
    case "boolean": return v ? "true" : "false";
    case "number": return sp.num(v);
    case "bigint": return v.toString();
    case "string": return sp.str(v);
    default: break;
  }
  if (Array.isArray(v)) return `[${(v as readonly JsonValue[]).map((x) => write(x, sp, depth + 1)).join(sp.comma)}]`;
  const parts: string[] = [];
  for (const [k, x] of Object.entries(v as { readonly [key: string]: JsonValue | undefined })) {
    if (x !== undefined) parts.push(`${sp.str(k)}${sp.colon}${write(x, sp, depth + 1)}`);
  }
  return `{${parts.join(sp.comma)}}`;
}

/**
 * The JSON text of `value`; object keys keep their insertion order, `undefined` members are left out.
 * "default": JSON.stringify's compact text (non-finite numbers become null), bigints as integers.
 * "python": json.dumps with its defaults: `", "` and `": "` separators, non-ASCII characters escaped as `\uXXXX`,
 * every `number` written as a Python float (`4.0`, `1e-05`, `NaN`) and every `bigint` as an integer. Python tells
 * ints from floats by type; here the caller does, by passing counts and other integers as bigints.
 */
export function formatJson(value: JsonValue, opts: FormatJsonOptions = {}): string {
  const format = opts.numberFormat ?? "default";
  const sp = SPELLINGS[format];
  if (sp === undefined) throw new IoError("IO_BAD_OPTION", `numberFormat must be "default" or "python", got ${String(format)}`);
  return write(value, sp, 0);
}
