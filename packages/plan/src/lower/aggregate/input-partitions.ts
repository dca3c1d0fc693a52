// Partitions big enough for partial aggregation to pay: a scan feeding a grouped aggregation is cut into fewer, larger
// partitions when its groups are many, so each partition's partial states are a small fraction of its rows.
import type { PlanNode } from "../../nodes.js";
import { withInputs } from "../../nodes.js";
import { DEFAULT_PARTITION_ROWS } from "../scan.js";

/**
 * Rows per expected group in a partition feeding an aggregation. A partition of r rows over G uniform groups holds
 * about G (1 - e^(-r/G)) of them: at r = 16 G its partial states are 1/16 of its rows, so the shuffle after it moves
 * little (G1 1e7, 100,000 groups, 2 threads: 7 partitions ran the shuffled aggregations 1.3-1.9× faster than 39).
 */
export const ROWS_PER_GROUP = 16;
/** No aggregation input partition is made larger than this: past it, the groups are too many for partials to pay. */
export const MAX_AGG_PARTITION_ROWS = 1 << 22;

/**
 * `input` with the Parquet scan it reads row for row (through filters, projections and renames) split into partitions
 * of about ROWS_PER_GROUP × `groups` rows, when that is more than the default and at most MAX_AGG_PARTITION_ROWS.
 * A scan whose partition count the user set, or anything else below the aggregation, is left as it is.
 */
export function withAggregationPartitions(input: PlanNode, groups: number | null): PlanNode {
  if (groups === null) return input;
  const rows = groups * ROWS_PER_GROUP;
  if (rows <= DEFAULT_PARTITION_ROWS || rows > MAX_AGG_PARTITION_ROWS) return input;
  return resized(input, rows);
}

function resized(p: PlanNode, rows: number): PlanNode {
  switch (p.kind) {
    case "filter": case "withColumns": case "select": case "rename": case "drop": {
      const inner = resized(p.input, rows);
      return inner === p.input ? p : withInputs(p, [inner]);
    }
    case "scan": {
      const s = p.source;
      if (s.format !== "parquet" || !("files" in s) || s.partitions !== null) return p;
      const total = s.files.reduce((n, f) => n + f.rowGroups.reduce((m, rg) => m + rg.numRows, 0), 0);
      return { ...p, source: { ...s, partitions: Math.max(1, Math.ceil(total / rows)) } };
    }
    default:
      return p;
  }
}
