// Sources: Parquet and CSV scans (metadata read at plan time), in-memory Arrow tables and literal columns.
import { randomUUID } from "node:crypto";
import type { Field } from "@tessera/common";
import { PlanError } from "@tessera/common";
import type { Batch } from "@tessera/kernels";
import { batchFromArrow, batchFromColumns, sliceBatch } from "@tessera/kernels";
import type { Table } from "apache-arrow";
import { LazyFrame } from "./lazy-frame.js";

export interface ScanParquetOptions {
  /** Target number of partitions (default: about one per million rows, at most one per row group). */
  readonly partitions?: number;
}

export interface ScanCsvOptions {
  readonly schema?: readonly Field[];
  readonly delimiter?: string;
  readonly header?: boolean;
  readonly partitions?: number;
}

const urlsOf = (x: string | readonly string[]): string[] => (typeof x === "string" ? [x] : [...x]);

export function scanParquet(urlOrGlob: string | readonly string[], opts: ScanParquetOptions = {}): LazyFrame {
  return new LazyFrame({ kind: "scan", source: { format: "parquet", urls: urlsOf(urlOrGlob), partitions: opts.partitions ?? null }, projection: null, predicate: null, limit: null });
}

export function scanCsv(urlOrGlob: string | readonly string[], opts: ScanCsvOptions = {}): LazyFrame {
  return new LazyFrame({
    kind: "scan",
    source: { format: "csv", urls: urlsOf(urlOrGlob), delimiter: opts.delimiter ?? ",", header: opts.header ?? true, schema: opts.schema ? [...opts.schema] : null, partitions: opts.partitions ?? null },
    projection: null, predicate: null, limit: null,
  });
}

function fromBatch(b: Batch, partitions: number): LazyFrame {
  if (!Number.isInteger(partitions) || partitions < 1) throw new PlanError("BAD_ARGUMENT", `partitions must be a positive integer, got ${partitions}`);
  const parts: Batch[] = [];
  for (let i = 0; i < partitions; i++) parts.push(sliceBatch(b, Math.floor((b.length * i) / partitions), Math.floor((b.length * (i + 1)) / partitions)));
  return new LazyFrame({
    kind: "scan",
    source: { format: "memory", id: randomUUID(), fields: [...b.fields], partitions: parts, numRows: b.length },
    projection: null, predicate: null, limit: null,
  });
}

/** An in-memory Arrow table as a LazyFrame, split into `partitions` row ranges. */
export function fromArrow(table: Table, opts: { partitions?: number } = {}): LazyFrame {
  return fromBatch(batchFromArrow(table), opts.partitions ?? 1);
}

/** Small literal data: `{ a: [1, 2], b: ["x", null] }`. */
export function fromColumns(columns: Record<string, readonly unknown[] | ArrayLike<number>>, opts: { partitions?: number } = {}): LazyFrame {
  return fromBatch(batchFromColumns(columns as Record<string, unknown[]>), opts.partitions ?? 1);
}
