// Lowers a sink: one sink-part task per input partition, then one sink-commit task over all of them.
import type { ObjectSinkNode, SinkNode } from "../nodes.js";
import type { GraphBuilder, Stage } from "./builder.js";
import { groupedBy, mapStage } from "./builder.js";

/** A fan-out sink whose input is one part this large (estimated rows) is still split, so several threads write. */
export const SINK_SPLIT_ROWS = 50_000;
/** Parts such a split makes. */
export const SINK_MIN_PARTS = 4;

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

/**
 * One sink-objects task per part of the input, once every group's rows are in one part: as they come when the input
 * is partitioned by (some of) the template's columns, else after a hash split by all of them. Each task renders
 * and PUTs its groups' objects; the commit task, which depends on all of them, writes the commit object last.
 */
export function lowerObjectSink(g: GraphBuilder, input: Stage, p: ObjectSinkNode): Stage {
  const orderBy = p.orderBy.length === 0 ? null : { by: p.orderBy, descending: p.descending, nullsLast: p.orderBy.map(() => true) };
  const base = {
    url: p.url, template: p.template, format: p.format, orderBy, fields: input.fields, token: p.token, concurrency: p.concurrency, attempts: p.attempts,
  };
  const big = input.parts.length === 1 && input.rows >= SINK_SPLIT_ROWS;
  let deps: string[][];
  if (groupedBy(input, p.groupBy) && !big) {
    deps = g.materializeAll(input).map((k) => [k]);
  } else {
    const n = Math.max(input.parts.length, big ? SINK_MIN_PARTS : 1);
    const splits = g.materializeAll(mapStage(input, { t: "hashSplit", keys: p.groupBy, n }, input.fields, "sink-objects-split"));
    deps = Array.from({ length: n }, (_, j) => splits.map((k) => g.pick(k, j)));
  }
  const parts = deps.map((d, index) => g.add("sink-objects", { ...base, index }, d, "sink-objects", index));
  const commit = g.add("sink-objects-commit", { url: p.url, commit: p.commit, token: p.token, template: p.template }, parts, "sink-objects-commit");
  return { parts: [{ key: commit }], fields: input.fields, rows: input.rows };
}