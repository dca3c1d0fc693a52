// CSV bytes to a Batch: records split in place and parsed straight into typed arrays, by byte range.
import type { Field } from "@tessera/common";
import { IoError } from "@tessera/common";
import type { Batch } from "@tessera/kernels";
import { storeFor } from "../store/registry.js";
import { normalizeUrl } from "../url.js";
import { makeCsvBuilder, type CsvColumnBuilder } from "./column-builders.js";
import { delimiterByte, namesOf } from "./dialect.js";
import type { CsvRange } from "./ranges.js";
import { CsvSyntaxError, NEWLINE, QUOTED, RecordScanner } from "./scan.js";
import { fetchWindow } from "./window.js";

export interface ReadCsvOptions {
  /** Every column of the file, in file order (from inferCsvSchema or the caller). */
  readonly schema: readonly Field[];
  /** One ASCII character; "," by default. */
  readonly delimiter?: string;
  /** Whether the first line holds column names (checked against the schema); true by default. */
  readonly header?: boolean;
  /** Read only the records that start in [start, end); the whole object when absent. */
  readonly range?: CsvRange;
  /** The range starts and ends exactly on record boundaries (from csvRecordRanges): quoted newlines are data. */
  readonly aligned?: boolean;
  /** Columns to return, in this order (others are skipped, not parsed); all when absent or null. */
  readonly columns?: readonly string[] | null;
}

const utf8 = new TextDecoder();

function badCsv(url: string, why: string, at?: number): IoError {
  return new IoError("IO_BAD_CSV", `bad CSV ${url}: ${why}${at === undefined ? "" : ` (record at byte ${at})`}`, { url });
}

/** Column names for a message: a hostile header (one huge name, thousands of names) is shown in part. */
function shownNames(names: readonly string[]): string {
  const shown = names.slice(0, 20).map((n) => (n.length > 60 ? `${n.slice(0, 60)}...` : n));
  return names.length > 20 ? `${shown.join(", ")}, ... (${names.length} in all)` : shown.join(", ");
}

function countLines(buf: Uint8Array, from: number): number {
  let n = 1;
  for (let i = buf.indexOf(NEWLINE, from); i >= 0; i = buf.indexOf(NEWLINE, i + 1)) n++;
  return n;
}

/**
 * Reads one CSV object, or one byte range of it, into a Batch of `schema`'s types.
 *
 * Ranges: a range processes exactly the records whose first byte lies in [start, end) (a range not
 * starting at 0 skips to just after the first newline at or after start-1), so the ranges from
 * csvSplitRanges partition the records. Only the range starting at 0 sees the header.
 * Quoting: RFC 4180 ("" inside quotes is one quote; delimiters inside quotes are data). A newline inside
 * quotes is data only when the whole object is read as one range; in a partial range it is an IO_BAD_CSV
 * error, since a range boundary cannot tell such a newline from a record's end.
 * Nulls: an empty unquoted field is null; "" (quoted empty) is the empty string in a utf8 column.
 * Blank lines are skipped, except in a one-column file, where a blank line is a null. A UTF-8 byte-order mark at the start is ignored.
 * Errors: IO_BAD_CSV naming the file, the column and the record's byte offset; IO_BAD_RANGE; IO_BAD_COLUMN.
 */
export async function readCsv(url: string, opts: ReadCsvOptions): Promise<Batch> {
  const u = normalizeUrl(url);
  const store = storeFor(u);
  const size = (await store.head(u)).size;
  const delimiter = delimiterByte(opts.delimiter);
  const schema = opts.schema;
  const start = opts.range?.start ?? 0;
  const end = Math.min(size, opts.range?.end ?? size);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || start > end) {
    throw new IoError("IO_BAD_RANGE", `bad CSV byte range of ${u}: [${start}, ${opts.range?.end ?? size}) of ${size} bytes`, { url: u });
  }
  const outNames = opts.columns ?? schema.map((f) => f.name);
  const srcOf = outNames.map((name) => {
    const j = schema.findIndex((f) => f.name === name);
    if (j < 0) throw new IoError("IO_BAD_COLUMN", `${u} has no column ${name}; the schema has: ${schema.map((f) => f.name).join(", ")}`, { url: u });
    return j;
  });
  const outFields = srcOf.map((j) => schema[j] as Field);

  const whole = start === 0 && end === size;
  const aligned = whole || opts.aligned === true;
  const { buf, base } = whole ? { buf: await store.get(u), base: 0 }
    : aligned ? { buf: await store.get(u, { offset: start, length: end - start }), base: start }
      : await fetchWindow(store, u, size, start, end);
  const stop = end - base;
  let pos = 0;
  if (start > 0 && !aligned) {
    const nl = buf.indexOf(NEWLINE, start - 1 - base);
    pos = nl < 0 ? buf.length : nl + 1;
  } else if (start === 0 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
    pos = 3;
  }
  const scanner = new RecordScanner(buf, delimiter, aligned);
  if ((opts.header ?? true) && start === 0 && pos < buf.length) {
    try {
      pos = scanner.next(pos);
    } catch (e) {
      throw e instanceof CsvSyntaxError ? badCsv(u, `header: ${e.message}`, base + e.at) : e;
    }
    const names = namesOf(scanner, buf);
    if (names.length !== schema.length || names.some((n, i) => n !== schema[i]?.name)) {
      throw badCsv(u, `the header has columns [${shownNames(names)}] but the schema has [${shownNames(schema.map((f) => f.name))}]`);
    }
  }

  const capacity = pos < buf.length ? countLines(buf, pos) : 0;
  const bytesHint = Math.ceil((buf.length - pos) / Math.max(1, schema.length));
  const builders: CsvColumnBuilder[] = outFields.map((f) => makeCsvBuilder(f.type, capacity, f.type === "utf8" ? bytesHint : 0));
  const isText = outFields.map((f) => f.type === "utf8");
  let rows = 0;
  while (pos < stop && pos < buf.length) {
    if (schema.length > 1 && scanner.isBlank(pos)) {
      pos = scanner.skipLine(pos);
      continue;
    }
    const recordAt = pos;
    try {
      pos = scanner.next(pos);
    } catch (e) {
      throw e instanceof CsvSyntaxError ? badCsv(u, e.message, base + e.at) : e;
    }
    if (scanner.count !== schema.length) {
      throw badCsv(u, `found ${scanner.count} fields, expected ${schema.length}`, base + recordAt);
    }
    for (let k = 0; k < builders.length; k++) {
      const j = srcOf[k] as number;
      const s = scanner.starts[j] as number, e = scanner.ends[j] as number, flags = scanner.flags[j] as number;
      const b = builders[k] as CsvColumnBuilder;
      if (s === e && (!isText[k] || (flags & QUOTED) === 0)) b.pushNull(rows);
      else if (!b.push(buf, s, e, flags, rows)) {
        const f = outFields[k] as Field;
        const text = utf8.decode(buf.subarray(s, Math.min(e, s + 60)));
        throw badCsv(u, `cannot parse ${JSON.stringify(text)} as ${f.type} in column ${f.name}`, base + recordAt);
      }
    }
    rows++;
  }
  return { fields: outFields, columns: builders.map((b) => b.finish(rows)), length: rows };
}
