// Splitting CSV bytes into records and field byte ranges (RFC 4180 quoting), without making strings.

export const QUOTE = 34, NEWLINE = 10, CR = 13;

/** Field flag bits. */
export const QUOTED = 1, ESCAPED = 2;

/** Why a record could not be split; the reader turns it into an IoError naming the file and byte offset. */
export class CsvSyntaxError extends Error {
  constructor(message: string, readonly at: number) {
    super(message);
  }
}

/**
 * Scans one record at a time. After `next(pos)`, fields 0..count-1 are bytes [starts[i], ends[i]) with
 * flags[i] (QUOTED: was in quotes, ESCAPED: contains "" pairs to collapse). Quotes are only special at
 * the start of a field; a newline inside quotes is data when `quotedNewlines`, else a CsvSyntaxError.
 */
export class RecordScanner {
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  flags = new Uint8Array(64);
  count = 0;

  constructor(private readonly buf: Uint8Array, private readonly delimiter: number, private readonly quotedNewlines: boolean) {}

  /** True when the line at `pos` is empty ("\n" or "\r\n"); such lines hold no record and are skipped. */
  isBlank(pos: number): boolean {
    const b = this.buf;
    return b[pos] === NEWLINE || (b[pos] === CR && (pos + 1 === b.length || b[pos + 1] === NEWLINE));
  }

  /** The position just after the line ending at or after `pos` (buf.length when none). */
  skipLine(pos: number): number {
    const nl = this.buf.indexOf(NEWLINE, pos);
    return nl < 0 ? this.buf.length : nl + 1;
  }

  private push(start: number, end: number, flags: number): void {
    const i = this.count;
    if (i === this.starts.length) {
      const grow = <T extends Int32Array | Uint8Array>(a: T, n: T): T => { n.set(a); return n; };
      this.starts = grow(this.starts, new Int32Array(i * 2));
      this.ends = grow(this.ends, new Int32Array(i * 2));
      this.flags = grow(this.flags, new Uint8Array(i * 2));
    }
    this.starts[i] = start;
    this.ends[i] = end;
    this.flags[i] = flags;
    this.count = i + 1;
  }

  /** Splits the record starting at `pos`; returns the position after it (after its "\n", or buf.length). */
  next(pos: number): number {
    const b = this.buf, n = b.length, delim = this.delimiter;
    this.count = 0;
    let p = pos;
    for (;;) {
      if (b[p] === QUOTE) {
        const start = p + 1;
        let flags = QUOTED;
        let q = start;
        for (;;) {
          if (q >= n) throw new CsvSyntaxError("unterminated quoted field", p);
          const c = b[q];
          if (c === QUOTE) {
            if (b[q + 1] === QUOTE) { flags |= ESCAPED; q += 2; continue; }
            break;
          }
          if (c === NEWLINE && !this.quotedNewlines) {
            throw new CsvSyntaxError("newline inside a quoted field (supported only when the whole file is read as one range)", p);
          }
          q++;
        }
        this.push(start, q, flags);
        p = q + 1;
        const c = b[p];
        if (p >= n) return n;
        if (c === delim) { p++; continue; }
        if (c === NEWLINE) return p + 1;
        if (c === CR && (p + 1 === n || b[p + 1] === NEWLINE)) return Math.min(n, p + 2);
        throw new CsvSyntaxError("unexpected character after a closing quote", p);
      }
      const start = p;
      while (p < n) {
        const c = b[p];
        if (c === delim || c === NEWLINE) break;
        p++;
      }
      if (p < n && b[p] === delim) {
        this.push(start, p, 0);
        p++;
        continue;
      }
      // End of the record: drop a "\r" before the newline (or before the end of the data).
      const end = p > start && b[p - 1] === CR ? p - 1 : p;
      this.push(start, end, 0);
      return p < n ? p + 1 : n;
    }
  }
}

/** The bytes of a field with "" pairs collapsed when ESCAPED (a copy then; a view otherwise). */
export function fieldBytes(buf: Uint8Array, start: number, end: number, flags: number): Uint8Array {
  const raw = buf.subarray(start, end);
  if ((flags & ESCAPED) === 0) return raw;
  const out = new Uint8Array(raw.length);
  let o = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as number;
    out[o++] = c;
    if (c === QUOTE) i++;
  }
  return out.subarray(0, o);
}
