// Lowers withRowIndex: each part counts its rows, then numbers them from the sum of the counts of the parts before it.
import type { Schema } from "@tessera/common";
import type { GraphBuilder, Stage } from "./builder.js";
import { concatOf, mapStage, partitioningOf } from "./builder.js";

/**
 * Part i's task ends in a countSplit (the rows, and their count as a one-row batch); part i of the result reads the
 * rows of part i and the counts of parts 0..i-1 (tiny side inputs), so no part waits for more than the counts.
 */
export function lowerRowIndex(g: GraphBuilder, input: Stage, name: string, offset: number, fields: Schema): Stage {
  if (input.parts.length === 1) return mapStage(input, { t: "rowIndex", name, offset, side: [] }, fields, "row-index");
  const split = g.materializeAll(mapStage(input, { t: "countSplit" }, input.fields, "row-count"));
  const rows = split.map((k) => g.pick(k, 0));
  const counts = split.map((k) => g.pick(k, 1));
  const parts = rows.map((k, i) => {
    const side = counts.slice(0, i);
    return concatOf([k], input.fields, [{ t: "rowIndex", name, offset, side: side.map((_, j) => 1 + j) }], "row-index", side);
  });
  return { parts, fields, rows: input.rows, partitioning: partitioningOf(input) };
}
