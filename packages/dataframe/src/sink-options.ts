// Sink options an untyped caller may have passed, checked before planning: partition column names, known codecs.
import { PlanError, checkChoice } from "@tessera/common";

export const COMPRESSIONS = ["zstd", "snappy", "none"] as const;
export type Compression = (typeof COMPRESSIONS)[number];

export interface CheckedSinkOptions {
  readonly partitionBy: string[];
  readonly compression: Compression;
  readonly rowGroupSize: number;
}

/**
 * Validates what an untyped caller may have passed: `partitionBy` is a column name or a list of names;
 * `compression` one of COMPRESSIONS; `rowGroupSize` a positive integer. Throws PlanError before any task runs. That
 * the partition columns exist, are distinct and leave a column for the files is checked with the plan's schema
 * (the sink node's `schemaOf`), which names a missing column and lists those that exist.
 */
export function checkSinkOptions(opts: { partitionBy?: unknown; compression?: unknown; rowGroupSize?: unknown }): CheckedSinkOptions {
  const raw = opts.partitionBy === undefined ? [] : typeof opts.partitionBy === "string" ? [opts.partitionBy] : opts.partitionBy;
  if (!Array.isArray(raw)) throw new PlanError("BAD_OPTION", "partitionBy must be a column name or a list of column names");
  const partitionBy: string[] = [];
  for (const name of raw as unknown[]) {
    if (typeof name !== "string") throw new PlanError("BAD_OPTION", `partitionBy takes column names, got ${JSON.stringify(name)}`);
    partitionBy.push(name);
  }
  const compression = checkChoice("BAD_OPTION", "compression", opts.compression ?? "zstd", COMPRESSIONS);
  const rowGroupSize = opts.rowGroupSize ?? 122_880;
  if (typeof rowGroupSize !== "number" || !Number.isInteger(rowGroupSize) || rowGroupSize < 1) {
    throw new PlanError("BAD_OPTION", `rowGroupSize must be a positive integer, got ${String(rowGroupSize)}`);
  }
  return { partitionBy, compression, rowGroupSize };
}
