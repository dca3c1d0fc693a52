// CSV schema inference from a sample of the first bytes: the narrowest type every sampled value fits.
import type { DType, Field } from "@tessera/common";
import { IoError } from "@tessera/common";
import { storeFor } from "../store/registry.js";
import { normalizeUrl } from "../url.js";
import { defaultNames, delimiterByte, namesOf } from "./dialect.js";
import {
  parseBigIntBytes, parseBoolBytes, parseDateBytes, parseFloatBytes, parseIntBytes, parseTimestampBytes, type Instant,
} from "./parse-value.js";
import { CsvSyntaxError, RecordScanner } from "./scan.js";
import { fetchWindow } from "./window.js";

export interface InferCsvOptions {
  readonly delimiter?: string;
  /** Whether the first line holds column names; true by default. Without one, names are column0, column1, ... */
  readonly header?: boolean;
  /** How many leading bytes to sample (the last sampled line is completed); 1 MiB by default. */
  readonly sampleBytes?: number;
}

export const DEFAULT_CSV_SAMPLE_BYTES = 1 << 20;

const INT64_MIN = -(2n ** 63n), INT64_MAX = 2n ** 63n - 1n;

/** Which types every value seen so far in one column parses as. */
class Guess {
  bool = true; int = true; float = true; date = true; ts = true; seen = 0;
  private readonly instant: Instant = { seconds: 0, nanos: 0 };

  observe(b: Uint8Array, s: number, e: number): void {
    this.seen++;
    if (this.bool && parseBoolBytes(b, s, e, true) === null) this.bool = false;
    if (this.int) {
      const v = parseIntBytes(b, s, e);
      if (!Number.isSafeInteger(v)) {
        const big = parseBigIntBytes(b, s, e);
        if (big === null || big < INT64_MIN || big > INT64_MAX) this.int = false;
      }
    }
    if (this.float && !this.int && parseFloatBytes(b, s, e) === undefined) this.float = false;
    if (this.date && Number.isNaN(parseDateBytes(b, s, e))) this.date = false;
    if (this.ts && !parseTimestampBytes(b, s, e, this.instant)) this.ts = false;
  }

  /** bool, int64, float64, date32, timestamp[ms] (dates mixed with date-times), else utf8; utf8 when all null. */
  type(): DType {
    if (this.seen === 0) return "utf8";
    if (this.bool) return "bool";
    if (this.int) return "int64";
    if (this.float) return "float64";
    if (this.date) return "date32";
    if (this.ts) return "timestamp[ms]";
    return "utf8";
  }
}

/**
 * Infers column names and types from the first `sampleBytes` of a CSV object. Empty fields are nulls and
 * do not vote; every field is nullable (the rest of the file may hold nulls). Quoted values vote like
 * unquoted ones. Throws IO_NOT_FOUND, or IO_BAD_CSV naming the file when the sample is malformed.
 */
export async function inferCsvSchema(url: string, opts: InferCsvOptions = {}): Promise<Field[]> {
  const u = normalizeUrl(url);
  const store = storeFor(u);
  const size = (await store.head(u)).size;
  const delimiter = delimiterByte(opts.delimiter);
  const sample = Math.min(size, Math.max(1, opts.sampleBytes ?? DEFAULT_CSV_SAMPLE_BYTES));
  const whole = sample >= size;
  const buf = whole ? await store.get(u) : (await fetchWindow(store, u, size, 0, sample)).buf;
  const scanner = new RecordScanner(buf, delimiter, true);
  let pos = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  let names: string[] | null = null;
  let guesses: Guess[] = [];
  let width = -1;
  while (pos < buf.length && pos < sample) {
    if (width !== 1 && scanner.isBlank(pos)) {
      pos = scanner.skipLine(pos);
      continue;
    }
    const at = pos;
    try {
      pos = scanner.next(pos);
    } catch (e) {
      if (!(e instanceof CsvSyntaxError)) throw e;
      if (!whole && e.message.startsWith("unterminated")) break;  // the sample cut a quoted field
      throw new IoError("IO_BAD_CSV", `bad CSV ${u}: ${e.message} (record at byte ${e.at})`, { url: u });
    }
    if (width < 0) {
      width = scanner.count;
      guesses = Array.from({ length: width }, () => new Guess());
      if (opts.header ?? true) {
        names = namesOf(scanner, buf);
        continue;
      }
    }
    if (scanner.count !== width) {
      throw new IoError("IO_BAD_CSV", `bad CSV ${u}: found ${scanner.count} fields, expected ${width} (record at byte ${at})`, { url: u });
    }
    for (let j = 0; j < width; j++) {
      const s = scanner.starts[j] as number, e = scanner.ends[j] as number;
      if (s === e) continue;  // null (or a quoted empty string, which votes for nothing)
      (guesses[j] as Guess).observe(buf, s, e);
    }
  }
  if (width < 0) throw new IoError("IO_BAD_CSV", `bad CSV ${u}: no header or records found`, { url: u });
  const cols = names ?? defaultNames(width);
  return cols.map((name, j) => ({ name, type: (guesses[j] as Guess).type(), nullable: true }));
}

