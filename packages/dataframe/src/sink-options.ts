// Sink options checked at plan time: partition columns that exist (their values become escaped directories), known codecs.
import type { Schema } from "@tessera/common";
import { PlanError, checkChoice } from "@tessera/common";
import { columnNotFound } from "@tessera/expr";

export const COMPRESSIONS = ["zstd", "snappy", "none"] as const;
export type Compression = (typeof COMPRESSIONS)[number];

export interface CheckedSinkOptions {
  readonly partitionBy: string[];
  readonly compression: Compression;
  readonly rowGroupSize: number;
}

/**
 * Validates what an untyped caller may have passed: `partitionBy` is a column name or a list of distinct names of
 * `fields` leaving at least one column for the files (COLUMN_NOT_FOUND names the column and lists those that
 * exist); `compression` one of COMPRESSIONS; `rowGroupSize` a positive integer. Throws PlanError before any task runs.
 */
export function checkSinkOptions(fields: Schema, opts: { partitionBy?: unknown; compression?: unknown; rowGroupSize?: unknown }): CheckedSinkOptions {
  const raw = opts.partitionBy === undefined ? [] : typeof opts.partitionBy === "string" ? [opts.partitionBy] : opts.partitionBy;
  if (!Array.isArray(raw)) throw new PlanError("BAD_OPTION", "partitionBy must be a column name or a list of column names");
  const partitionBy: string[] = [];
  for (const name of raw as unknown[]) {
    if (typeof name !== "string") throw new PlanError("BAD_OPTION", `partitionBy takes column names, got ${JSON.stringify(name)}`);
    if (!fields.some((f) => f.name === name)) columnNotFound(name, fields);
    if (partitionBy.includes(name)) throw new PlanError("BAD_OPTION", `partitionBy names column "${name}" twice`, { column: name });
    partitionBy.push(name);
  }
  if (partitionBy.length > 0 && partitionBy.length === fields.length) {
    throw new PlanError("BAD_OPTION", `partitionBy takes every column (${partitionBy.join(", ")}); the files need at least one other`);
  }
  const compression = checkChoice("BAD_OPTION", "compression", opts.compression ?? "zstd", COMPRESSIONS);
  const rowGroupSize = opts.rowGroupSize ?? 122_880;
  if (typeof rowGroupSize !== "number" || !Number.isInteger(rowGroupSize) || rowGroupSize < 1) {
    throw new PlanError("BAD_OPTION", `rowGroupSize must be a positive integer, got ${String(rowGroupSize)}`);
  }
  return { partitionBy, compression, rowGroupSize };
}
