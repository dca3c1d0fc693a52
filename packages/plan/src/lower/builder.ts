// Builds the task graph: pending (fusable) partitions accumulate steps and become one "pipeline" task each.
import type { Schema } from "@tessera/common";
import { structuralKey } from "@tessera/common";
import type { TaskGraph, TaskSpec } from "@tessera/graph";
import type { OpArgs, OpName, PipelineArgs, SourceSpec, Step } from "@tessera/ops";
import { outputName } from "@tessera/expr";

/** A partition not yet a task: a source plus steps, fused into one task when something consumes it. */
export interface PendingPart {
  readonly source: SourceSpec;
  readonly deps: readonly string[];
  readonly steps: readonly Step[];
  readonly label: string;
}

/** A partition is either a task's result (by key) or pending work. */
export type Part = { readonly key: string } | PendingPart;

/**
 * How rows are spread over a stage's parts: every row whose `by` columns hold equal values is in the same part, and
 * part j holds hash bucket j of `buckets` (hashPartition's function), so two stages with the same partitioning are
 * co-partitioned part by part. One part is `{ by: [], buckets: 1 }`.
 */
export interface Partitioning {
  readonly by: readonly string[];
  readonly buckets: number;
}

/** The partitions of an intermediate result and their schema; `rows` is an estimate used for strategy choices. */
export interface Stage {
  readonly parts: readonly Part[];
  readonly fields: Schema;
  readonly rows: number;
  /** Known partitioning (absent or null: unknown). */
  readonly partitioning?: Partitioning | null;
}

/** What a stage's partitioning is known to be: a single part is trivially partitioned by nothing. */
export function partitioningOf(s: Stage): Partitioning | null {
  if (s.parts.length === 1) return { by: [], buckets: 1 };
  return s.partitioning ?? null;
}

/** Whether rows with equal `keys` are sure to be in one part of `s` (its partitioning columns are among them). */
export function groupedBy(s: Stage, keys: readonly string[]): boolean {
  const p = partitioningOf(s);
  return p !== null && p.by.every((c) => keys.includes(c));
}

/** Two partitionings that put the same rows in the same part index. */
export function samePartitioning(a: Partitioning | null, b: Partitioning | null): boolean {
  return a !== null && b !== null && a.buckets === b.buckets && a.by.length === b.by.length && a.by.every((c, i) => b.by[i] === c);
}

/** The partitioning after row-wise steps applied in order. */
export function partitioningThrough(p: Partitioning | null, steps: readonly Step[]): Partitioning | null {
  return steps.reduce<Partitioning | null>((acc, s) => partitioningAfter(acc, s), p);
}

/** The partitioning after a row-wise step: kept while the partition columns pass through unchanged, else unknown. */
function partitioningAfter(p: Partitioning | null, step: Step): Partitioning | null {
  if (p === null || p.by.length === 0) return p;
  switch (step.t) {
    case "filter": case "limit": case "sort": case "unique": case "groupHead": case "rowIndex": case "join": case "dictEncode":
      return p;
    case "project": {
      const renamed = p.by.map((c) => {
        const e = step.exprs.find((x) => (x.op === "col" && x.name === c) || (x.op === "alias" && x.arg.op === "col" && x.arg.name === c));
        return e === undefined ? null : e.op === "alias" ? e.name : c;
      });
      return renamed.every((c): c is string => c !== null) ? { ...p, by: renamed } : null;
    }
    case "withColumns":
      return step.exprs.some((e) => p.by.includes(outputName(e)) && !(e.op === "col" || (e.op === "alias" && e.arg.op === "col" && e.arg.name === e.name)))
        ? null : p;
    case "aggPartial": case "aggMerge": case "aggFinalize": case "aggFull":
      return p.by.every((c) => step.spec.keys.includes(c)) ? p : null;
    case "pivot":
      return p.by.every((c) => step.index.includes(c)) ? p : null;
    default:
      return null;
  }
}

export function isPending(p: Part): p is PendingPart {
  return !("key" in p);
}

/** Replaces shipped data by its reference so keys hash the structure, not the bytes. */
function keyable(op: OpName, args: OpArgs[OpName]): unknown {
  if (op !== "pipeline") return args;
  const a = args as PipelineArgs;
  return a.source.type === "memory" ? { ...a, source: { type: "memory", ref: a.source.ref } } : a;
}

export class GraphBuilder {
  private readonly tasks = new Map<string, TaskSpec>();

  /** Adds a task of op K with OpArgs[K] (deduplicated by structure) and returns its key. */
  add<K extends OpName>(op: K, args: OpArgs[K], deps: readonly string[], label: string, partition?: number): string {
    const key = `${label}-${partition ?? 0}-${structuralKey({ op, args: keyable(op, args), deps })}`;
    if (!this.tasks.has(key)) {
      this.tasks.set(key, {
        key, op, args, deps: [...deps], priority: this.tasks.size,
        label: partition === undefined ? { name: label } : { name: label, partition },
      });
    }
    return key;
  }

  /** Turns a part into a task key, emitting the fused pipeline task for pending work. */
  materialize(part: Part, fields: Schema, partition: number): string {
    if (!isPending(part)) return part.key;
    return this.add("pipeline", { source: part.source, steps: part.steps, fields }, part.deps, part.label, partition);
  }

  materializeAll(stage: Stage): string[] {
    return stage.parts.map((p, i) => this.materialize(p, stage.fields, i));
  }

  /** `index`-th Batch of a splitting task's output. */
  pick(key: string, index: number): string {
    return this.add("pick", { index }, [key], "pick", index);
  }

  build(outputs: readonly string[]): TaskGraph {
    return { tasks: [...this.tasks.values()], outputs: [...outputs] };
  }
}

/** Appends a step to a part, starting a new pending part over a materialized one. */
export function appendStep(part: Part, step: Step, inputFields: Schema, label: string): PendingPart {
  if (isPending(part)) return { ...part, steps: [...part.steps, step], label: part.steps.length === 0 && part.source.type === "inputs" ? label : part.label };
  return { source: { type: "inputs", count: 1, fields: inputFields }, deps: [part.key], steps: [step], label };
}

/** Appends the same step to every part of a stage; its partitioning carries over when the step keeps it. */
export function mapStage(stage: Stage, step: Step, fields: Schema, label: string, rows = stage.rows): Stage {
  return { parts: stage.parts.map((p) => appendStep(p, step, stage.fields, label)), fields, rows, partitioning: partitioningAfter(partitioningOf(stage), step) };
}

/** One pending part over the concatenation of the given task keys. */
export function concatOf(keys: readonly string[], fields: Schema, steps: readonly Step[], label: string, side: readonly string[] = []): PendingPart {
  return { source: { type: "inputs", count: keys.length, fields }, deps: [...keys, ...side], steps: [...steps], label };
}
