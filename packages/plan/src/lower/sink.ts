// Lowers a sink: one sink-part task per input partition, then one sink-commit task over all of them.
import type { SinkNode } from "../nodes.js";
import type { GraphBuilder, Stage } from "./builder.js";

/**
 * Each partition writes attempt-unique part files (named with the node's token); the commit task checks that every
 * part exists with the size written and returns the manifest, the stage's single output, which the client publishes.
 */
export function lowerSink(g: GraphBuilder, input: Stage, p: SinkNode): Stage {
  const { url, format, token } = p;
  const { partitionBy, compression, rowGroupSize } = p.options;
  const parts = g.materializeAll(input).map((dep, index) =>
    g.add("sink-part", { url, format, index, token, partitionBy, fields: input.fields, compression, rowGroupSize }, [dep], "sink-part", index));
  const commit = g.add("sink-commit", { url, format, token, fields: input.fields }, parts, "sink-commit");
  return { parts: [{ key: commit }], fields: input.fields, rows: input.rows };
}
