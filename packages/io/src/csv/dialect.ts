// CSV options shared by inference and reading: the delimiter byte and the header's column names.
import { IoError } from "@tessera/common";
import { CR, NEWLINE, QUOTE, RecordScanner, fieldBytes } from "./scan.js";

/** The delimiter as one byte. Throws IO_BAD_OPTION for multi-byte delimiters, quotes and newlines. */
export function delimiterByte(d: string | undefined): number {
  const s = d ?? ",";
  const c = s.charCodeAt(0);
  if (s.length !== 1 || c > 127 || c === QUOTE || c === NEWLINE || c === CR) {
    throw new IoError("IO_BAD_OPTION", `CSV delimiter must be one ASCII character other than a quote or newline, got ${JSON.stringify(s)}`);
  }
  return c;
}

const utf8 = new TextDecoder();

/** Column names of the header record: empty names become `column<i>`, repeats get `_1`, `_2`, ... (as DuckDB does). */
export function namesOf(scanner: RecordScanner, buf: Uint8Array): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (let i = 0; i < scanner.count; i++) {
    let name = utf8.decode(fieldBytes(buf, scanner.starts[i] as number, scanner.ends[i] as number, scanner.flags[i] as number));
    if (name === "") name = `column${i}`;
    let unique = name;
    for (let k = 1; seen.has(unique); k++) unique = `${name}_${k}`;
    seen.add(unique);
    out.push(unique);
  }
  return out;
}

/** Names for a file without a header: column0, column1, ... */
export function defaultNames(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `column${i}`);
}
