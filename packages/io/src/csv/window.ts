// Fetching the bytes a CSV byte range needs: one byte before it, and on past its end to finish the last line.
import type { ObjectStore } from "../store/object-store.js";
import { NEWLINE } from "./scan.js";

/** Bytes [base, base + buf.length) of the object, enough to read the records of one range. */
export interface CsvWindow {
  readonly buf: Uint8Array;
  readonly base: number;
}

const SLACK = 64 * 1024;

/**
 * The bytes from start-1 (to see whether a line begins at `start`) through the first newline at or after
 * end-1 (which ends the last record starting before `end`), or through the end of the object.
 */
export async function fetchWindow(store: ObjectStore, url: string, size: number, start: number, end: number): Promise<CsvWindow> {
  const base = Math.max(0, start - 1);
  let stop = Math.min(size, end + SLACK);
  let buf = await store.get(url, { offset: base, length: stop - base });
  const from = Math.max(0, end - 1 - base);
  let searched = from;
  for (let slack = SLACK * 4; stop < size; slack *= 4) {
    if (buf.indexOf(NEWLINE, searched) >= 0) break;
    searched = buf.length;
    const more = await store.get(url, { offset: stop, length: Math.min(size, stop + slack) - stop });
    const grown = new Uint8Array(buf.length + more.length);
    grown.set(buf);
    grown.set(more, buf.length);
    buf = grown;
    stop += more.length;
  }
  return { buf, base };
}
