// String kernels: lower, upper, lengths (code points), contains, startsWith, matches, replaceAll. Dict columns work on the dictionary and gather.
import type { Column, NumColumn, StrColumn } from "../column.js";
import { decodeUtf8, encodeUtf8, strColumnFromStrings } from "../strings.js";
import { gatherEntries } from "./cast.js";
import type { StrPredFn } from "@tessera/expr";

/** Applies a per-entry kernel to a dict's dictionary and gathers, or directly to a plain column. */
function viaDict(col: Column, f: (s: StrColumn) => Column): Column {
  if (col.kind === "dict") return gatherEntries(f(col.dict), col.indices, col.valid);
  return f(col as StrColumn);
}

function isAscii(bytes: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if ((bytes[i] as number) >= 0x80) return false;
  return true;
}

/** lower/upper of a plain column: a byte-level pass when the data is ASCII, else per-row Unicode case mapping. */
function changeCase(col: StrColumn, upper: boolean): StrColumn {
  const n = col.length;
  const off = col.offsets;
  const s = off[0] as number;
  const e = off[n] as number;
  if (isAscii(col.bytes, s, e)) {
    const bytes = col.bytes.slice(s, e);
    const lo = upper ? 0x61 : 0x41;
    const delta = upper ? -32 : 32;
    for (let i = 0; i < bytes.length; i++) {
      const c = bytes[i] as number;
      if (c >= lo && c <= lo + 25) bytes[i] = c + delta;
    }
    const offsets = s === 0 ? off : off.map((o) => o - s);
    return { kind: "str", type: "utf8", length: n, offsets, bytes, valid: col.valid };
  }
  const strs: (string | null)[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const v = decodeUtf8(col.bytes, off[i] as number, off[i + 1] as number);
    strs[i] = col.valid !== null && col.valid[i] === 0 ? null : upper ? v.toUpperCase() : v.toLowerCase();
  }
  return strColumnFromStrings(strs);
}

export function lowerUpper(fn: "lower" | "upper", col: Column): Column {
  return viaDict(col, (s) => changeCase(s, fn === "upper"));
}

/** Length in Unicode code points (UTF-8 bytes that are not continuation bytes), as int32. */
export function lengths(col: Column): Column {
  return viaDict(col, (s) => {
    const n = s.length;
    const out = new Int32Array(n);
    const b = s.bytes;
    for (let i = 0; i < n; i++) {
      let k = 0;
      const e = s.offsets[i + 1] as number;
      for (let p = s.offsets[i] as number; p < e; p++) k += ((b[p] as number) & 0xc0) !== 0x80 ? 1 : 0;
      out[i] = k;
    }
    const r: NumColumn = { kind: "num", type: "int32", length: n, values: out, valid: s.valid };
    return r;
  });
}

/** Whether a regular expression (Unicode mode; checked safe at plan time) matches anywhere in each text. */
function matches(col: Column, pattern: string): Column {
  const re = new RegExp(pattern, "u");
  return viaDict(col, (s) => {
    const n = s.length;
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = re.test(decodeUtf8(s.bytes, s.offsets[i] as number, s.offsets[i + 1] as number)) ? 1 : 0;
    const r: NumColumn = { kind: "num", type: "bool", length: n, values: out, valid: s.valid };
    return r;
  });
}

/** contains / startsWith a literal pattern, by bytes; matches a regular expression. */
export function strPred(fn: StrPredFn, col: Column, pattern: string): Column {
  if (fn === "matches") return matches(col, pattern);
  const p = encodeUtf8(pattern);
  const m = p.length;
  return viaDict(col, (s) => {
    const n = s.length;
    const out = new Uint8Array(n);
    const b = s.bytes;
    for (let i = 0; i < n; i++) {
      const st = s.offsets[i] as number;
      const e = s.offsets[i + 1] as number;
      const last = fn === "startsWith" ? (e - st >= m ? st : st - 1) : e - m;
      let hit = 0;
      for (let q = st; q <= last && hit === 0; q++) {
        let k = 0;
        while (k < m && b[q + k] === p[k]) k++;
        if (k === m) hit = 1;
      }
      out[i] = hit;
    }
    const r: NumColumn = { kind: "num", type: "bool", length: n, values: out, valid: s.valid };
    return r;
  });
}

/**
 * Every occurrence of the literal `pattern` replaced by `replacement`, scanning left to right without overlaps, by
 * bytes (UTF-8 is self-synchronising, so byte matches are character matches). An empty pattern changes nothing.
 */
export function replaceAll(col: Column, pattern: string, replacement: string): Column {
  const p = encodeUtf8(pattern);
  const r = encodeUtf8(replacement);
  const m = p.length;
  return viaDict(col, (s) => {
    if (m === 0) return s;
    const n = s.length;
    const b = s.bytes;
    const offsets = new Int32Array(n + 1);
    let cap = Math.max(16, (s.offsets[n] as number) - (s.offsets[0] as number));
    let out = new Uint8Array(cap);
    let pos = 0;
    const put = (src: Uint8Array, from: number, to: number): void => {
      const len = to - from;
      if (pos + len > cap) {
        cap = Math.max(cap * 2, pos + len);
        const grown = new Uint8Array(cap);
        grown.set(out.subarray(0, pos));
        out = grown;
      }
      out.set(src.subarray(from, to), pos);
      pos += len;
    };
    const first = p[0] as number;
    for (let i = 0; i < n; i++) {
      const e = s.offsets[i + 1] as number;
      let from = s.offsets[i] as number;
      let q = from;
      while (q + m <= e) {
        if (b[q] === first) {
          let k = 1;
          while (k < m && b[q + k] === p[k]) k++;
          if (k === m) {
            put(b, from, q);
            put(r, 0, r.length);
            q += m;
            from = q;
            continue;
          }
        }
        q++;
      }
      put(b, from, e);
      offsets[i + 1] = pos;
    }
    const res: StrColumn = { kind: "str", type: "utf8", length: n, offsets, bytes: out.slice(0, pos), valid: s.valid };
    return res;
  });
}
