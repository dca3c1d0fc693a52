// Lowers groupBy().agg(): pre-projection, partial aggregate, a fixed merge tree or a hash shuffle, finalize.
import type { Schema } from "@tessera/common";
import { fieldOf, transform, outputName } from "@tessera/expr";
import type { ExprNode } from "@tessera/expr";
import type { AggStrategy } from "../nodes.js";
import type { GraphBuilder, Stage } from "./builder.js";
import { concatOf, mapStage } from "./builder.js";
import type { AggCall as AggItem, AggSpec } from "@tessera/kernels";
import type { AggMergeArgs } from "@tessera/ops";

/** Default fan-in of the merge tree (partial states merged 8 at a time). */
export const DEFAULT_FAN_IN = 8;
const HOLISTIC = new Set(["median", "quantile", "nUnique"]);

export interface AggDecomposition {
  /** Evaluated per input row: key columns and aggregate arguments. */
  readonly pre: readonly ExprNode[];
  readonly spec: AggSpec;
  /** Evaluated on the finalized aggregates: the user's output columns. */
  readonly post: readonly ExprNode[];
}

const colNode = (name: string): ExprNode => ({ op: "col", name });
const aliasNode = (arg: ExprNode, name: string): ExprNode => (arg.op === "col" && arg.name === name ? arg : { op: "alias", arg, name });

/** Splits key and aggregate expressions into what kernels compute and what is evaluated around them. */
export function decomposeAggregate(keys: readonly ExprNode[], aggs: readonly ExprNode[]): AggDecomposition {
  const keyNames = keys.map(outputName);
  const pre: ExprNode[] = keys.map((k, i) => aliasNode(k, keyNames[i] as string));
  const preNames = new Set(keyNames);
  const items: AggItem[] = [];
  const argName = (a: ExprNode): string => {
    if (a.op === "col") {
      if (!preNames.has(a.name)) { pre.push(a); preNames.add(a.name); }
      return a.name;
    }
    const name = `__arg${pre.length}`;
    pre.push(aliasNode(a, name));
    preNames.add(name);
    return name;
  };
  const post: ExprNode[] = keyNames.map(colNode);
  for (const a of aggs) {
    const rewritten = transform(a, (n) => {
      if (n.op !== "agg") return n;
      const name = `__agg${items.length}`;
      const item: AggItem = n.q === undefined
        ? { fn: n.fn, inputs: n.args.map(argName), name }
        : { fn: n.fn, inputs: n.args.map(argName), q: n.q, name };
      items.push(item);
      return colNode(name);
    });
    post.push(aliasNode(rewritten, outputName(a)));
  }
  return { pre, spec: { keys: keyNames, aggs: items }, post };
}

export function isDecomposable(spec: AggSpec): boolean {
  return spec.aggs.every((a) => !HOLISTIC.has(a.fn));
}

export interface AggOptions {
  readonly strategy: AggStrategy;
  readonly fanIn: number;
  /** Upper bound on the groups from statistics (null: unknown). */
  readonly groupsBound: number | null;
}

/** Few enough groups (known from statistics) that partial states stay small: merge them through the tree. */
export const TREE_MAX_GROUPS = 100_000;
/** Partitions a hash-shuffled aggregation produces at most. */
export const SHUFFLE_MAX_OUTPUTS = 8;

/** Lowers an aggregate over `input` into a stage producing `fields`. */
export function lowerAggregate(g: GraphBuilder, input: Stage, keys: readonly ExprNode[], aggs: readonly ExprNode[], fields: Schema, opts: AggOptions): Stage {
  const d = decomposeAggregate(keys, aggs);
  const decomposable = isDecomposable(d.spec);
  const preFields: Schema = d.pre.map((e) => fieldOf(e, input.fields));
  const pre = mapStage(input, { t: "project", exprs: d.pre }, preFields, "aggregate");
  const rows = Math.max(1, Math.min(input.rows, input.rows / 4));

  if (input.parts.length === 1) {
    const one = mapStage(mapStage(pre, { t: "aggFull", spec: d.spec }, preFields, "aggregate"), { t: "project", exprs: d.post }, fields, "aggregate", rows);
    return one;
  }
  // Auto: the tree only when statistics prove the groups few; otherwise hash-shuffle so the final merge is parallel.
  const fewGroups = opts.groupsBound !== null && opts.groupsBound <= TREE_MAX_GROUPS;
  const useShuffle = d.spec.keys.length > 0 && (opts.strategy === "shuffle" || (opts.strategy === "auto" && (!decomposable || !fewGroups)));
  if (!useShuffle && decomposable) {
    // Fixed tree: partial states merged `fanIn` at a time in partition order, so results do not depend on scheduling.
    let level = g.materializeAll(mapStage(pre, { t: "aggPartial", spec: d.spec }, preFields, "agg-partial"));
    while (level.length > 1) {
      const next: string[] = [];
      const last = level.length <= opts.fanIn;
      for (let i = 0; i < level.length; i += opts.fanIn) {
        const group = level.slice(i, i + opts.fanIn);
        const args: AggMergeArgs = { spec: d.spec, finalize: last, post: last ? d.post : null };
        next.push(g.add("agg-merge", args, group, last ? "agg-final" : "agg-merge", next.length));
      }
      level = next;
      if (last) return { parts: level.map((key) => ({ key })), fields, rows };
    }
    const args: AggMergeArgs = { spec: d.spec, finalize: true, post: d.post };
    return { parts: [{ key: g.add("agg-merge", args, level, "agg-final", 0) }], fields, rows };
  }
  if (!useShuffle) {
    // Holistic aggregates without keys: all argument rows meet in one task.
    const keysIn = g.materializeAll(pre);
    return { parts: [concatOf(keysIn, preFields, [{ t: "aggFull", spec: d.spec }, { t: "project", exprs: d.post }], "agg-final")], fields, rows };
  }
  // Hash shuffle: each partition splits its (partial) rows by key hash; output j aggregates bucket j of all.
  const n = Math.min(input.parts.length, SHUFFLE_MAX_OUTPUTS);
  const splitSteps = decomposable ? [{ t: "aggPartial" as const, spec: d.spec }] : [];
  let split = pre;
  for (const s of splitSteps) split = mapStage(split, s, preFields, "agg-partial");
  const splitKeys = g.materializeAll(mapStage(split, { t: "hashSplit", keys: d.spec.keys, n }, preFields, "agg-split"));
  const parts = [];
  for (let j = 0; j < n; j++) {
    const picks = splitKeys.map((k) => g.pick(k, j));
    if (decomposable) {
      const args: AggMergeArgs = { spec: d.spec, finalize: true, post: d.post };
      parts.push({ key: g.add("agg-merge", args, picks, "agg-final", j) });
    } else {
      parts.push(concatOf(picks, preFields, [{ t: "aggFull", spec: d.spec }, { t: "project", exprs: d.post }], "agg-final"));
    }
  }
  return { parts, fields, rows };
}
