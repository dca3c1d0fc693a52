// An Arrow Table as CSV bytes: the Batch writer over the table's columns, with the same options.
import type { Table } from "apache-arrow";
import { batchFromArrow } from "@tessera/kernels";
import type { WriteCsvOptions } from "./write.js";
import { writeCsv } from "./write.js";

/** The UTF-8 CSV text of `table` (a header, then one line per row), formatted as `writeCsv` formats batches. */
export function csvFromTable(table: Table, opts: WriteCsvOptions = {}): Uint8Array {
  const b = batchFromArrow(table);
  return writeCsv([b], b.fields, opts);
}
