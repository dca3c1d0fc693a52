// One object (or a few) per group of a frame: the frame collected sorted by its groups, each group rendered and put.
import type { LazyFrame } from "tessera";
import type { Table, Vector } from "apache-arrow";
import { DataType } from "apache-arrow";
import type { KeyValue } from "./key-template.js";
import type { ObjectWriter } from "./object-writer.js";

/** One object a group renders to. */
export interface RenderedObject {
  readonly key: string;
  readonly body: Uint8Array;
}

/** Turns one group's rows (a zero-copy slice) and its partition values into objects. */
export type GroupRenderer = (rows: Table, values: Readonly<Record<string, KeyValue | null>>) => readonly RenderedObject[];

export interface FanOutSpec {
  /** The columns whose distinct combinations make the groups. */
  readonly partitionBy: readonly string[];
  /** The order of rows inside a group (after the partition columns). */
  readonly orderBy?: readonly string[];
  readonly render: GroupRenderer;
}

export interface FanOutResult {
  readonly objects: number;
  /** Rows per group, in group order. */
  readonly groups: readonly { readonly values: Readonly<Record<string, KeyValue | null>>; readonly rows: number }[];
}

/** A column's values, comparable with `!==`: numbers and bigints as they are, text (plain or dictionary) decoded once. */
function valuesOf(v: Vector): ArrayLike<unknown> {
  if (DataType.isDictionary(v.type) || v.nullCount > 0) return Array.from(v);
  const arr: unknown = v.toArray();
  return ArrayBuffer.isView(arr) ? (arr as unknown as ArrayLike<unknown>) : Array.from(v);
}

/** Start rows of each run of equal partition values (plus the end), over the collected, sorted table. */
function runStarts(table: Table, partitionBy: readonly string[]): number[] {
  const cols = partitionBy.map((c) => valuesOf(table.getChild(c) as Vector));
  const starts = [0];
  for (let i = 1; i < table.numRows; i++) {
    for (const c of cols) if (c[i] !== c[i - 1]) { starts.push(i); break; }
  }
  starts.push(table.numRows);
  return starts;
}

/**
 * Renders and writes every group of `frame`. Stands in for an engine fan-out sink (frame → path template →
 * objects): the same inputs, so swapping it for one changes only this function.
 */
export async function fanOut(frame: LazyFrame, writer: ObjectWriter, spec: FanOutSpec): Promise<FanOutResult> {
  const table = await frame.sort([...spec.partitionBy, ...(spec.orderBy ?? [])]).collect();
  if (table.numRows === 0) return { objects: 0, groups: [] };
  const starts = runStarts(table, spec.partitionBy);
  const keyCols = spec.partitionBy.map((c) => table.getChild(c) as Vector);
  const groups: { values: Record<string, KeyValue | null>; rows: number }[] = [];
  let objects = 0;
  for (let g = 0; g + 1 < starts.length; g++) {
    const s = starts[g] as number;
    const e = starts[g + 1] as number;
    const values: Record<string, KeyValue | null> = {};
    spec.partitionBy.forEach((c, i) => { values[c] = (keyCols[i]!.get(s) as KeyValue | null) ?? null; });
    for (const o of spec.render(table.slice(s, e), values)) {
      await writer.put(o.key, o.body);
      objects++;
    }
    groups.push({ values, rows: e - s });
  }
  return { objects, groups };
}
