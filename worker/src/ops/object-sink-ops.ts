// Fan-out sink operations: one object per group of a partition, rendered here and PUT with bounded concurrency; the commit point last.
import type { ObjectFormatArgs, ObjectsManifest, SinkObjectsArgs, SinkObjectsCommitArgs, SinkObjectsResult } from "@tessera/ops";
import type { Batch, Column } from "@tessera/kernels";
import {
  castColumn, columnToArray, concatBatches, getColumn, groupIds, selectColumns, sliceBatch, sortIndices, takeBatch, takeColumn, toFloat64,
} from "@tessera/kernels";
import { ExecutionError } from "@tessera/common";
import type { TileEncoder } from "@tessera/io";
import { PutQueue, joinUrl, parsePathTemplate, renderCsv, renderJson, renderPath, storeFor } from "@tessera/io";
import type { OpHandlers } from "./op-descriptor.js";
import { functionsDirs, resolveUserFunction } from "./user-functions.js";

/** Renders one group's rows (in order) into an object's bytes; `value(c)` is a group column's value. */
type Render = (rows: Batch, value: (column: string) => unknown) => Uint8Array;

const encoders = new Map<string, Promise<TileEncoder>>();

/** The TileEncoder a reference names, resolved like a mapBatches function (installed packages, allowed directories). */
function tileEncoder(ref: string): Promise<TileEncoder> {
  let p = encoders.get(ref);
  if (p === undefined) {
    p = (async () => {
      const { url, exportName } = resolveUserFunction(ref, functionsDirs(), "sinkTiles");
      const e = ((await import(url)) as Record<string, unknown>)[exportName] as Partial<TileEncoder> | undefined;
      if (typeof e !== "object" || e === null || typeof e.encode !== "function") {
        throw new ExecutionError("BAD_TILE_ENCODER", `sinkTiles: ${ref} is not a TileEncoder (an object with encode(tile))`, { encoder: ref });
      }
      return e as TileEncoder;
    })();
    p.catch(() => encoders.delete(ref));
    encoders.set(ref, p);
  }
  return p;
}

function float64Of(c: Column): Float64Array {
  if (c.kind !== "num") throw new ExecutionError("BAD_INPUT", "tile values must be numeric");
  const x = toFloat64(c.values);
  const out = x === c.values ? x.slice() : x;
  if (c.valid !== null) for (let i = 0; i < out.length; i++) if (c.valid[i] === 0) out[i] = NaN;
  return out;
}

async function rendererOf(f: ObjectFormatArgs): Promise<Render> {
  switch (f.kind) {
    case "csv": return (rows) => renderCsv(rows, f.columns, f.numberFormat, f.pivot);
    case "json": return (rows) => renderJson(rows, f.columns, f.numberFormat, f);
    case "tile": {
      const encoder = await tileEncoder(f.encoder);
      return (rows, value) => {
        const bins = castColumn(getColumn(rows, f.bin), "int32");
        return encoder.encode({
          z: Number(value(f.z)), x: Number(value(f.x)), y: Number(value(f.y)), binLevel: f.binLevel,
          bins: bins.kind === "num" ? Int32Array.from(bins.values as Int32Array) : new Int32Array(0),
          values: Object.fromEntries(f.values.map((c) => [c, float64Of(getColumn(rows, c))])),
        });
      };
    }
  }
}

/** The columns a format reads from a group's rows. */
function renderedColumns(f: ObjectFormatArgs): string[] {
  switch (f.kind) {
    case "csv": return [...new Set([...f.columns, ...(f.pivot === null ? [] : [f.pivot.index, f.pivot.on, f.pivot.values])])];
    case "json": return [...new Set([...f.columns, ...f.nest])];
    case "tile": return [...new Set([f.bin, ...f.values])];
  }
}

/**
 * Rows of each group, ordered: a stable sort by `orderBy` (when given), then a stable bucketing by group, so each
 * group's rows are one contiguous run of `order` from `starts[g]` to `starts[g + 1]`.
 */
function groupRuns(b: Batch, ids: Int32Array, count: number, orderBy: SinkObjectsArgs["orderBy"]): { order: Int32Array; starts: Int32Array } {
  const sorted = orderBy === null ? null : sortIndices(b, orderBy);
  const starts = new Int32Array(count + 1);
  for (let i = 0; i < b.length; i++) starts[(ids[i] as number) + 1]!++;
  for (let k = 0; k < count; k++) starts[k + 1]! += starts[k] as number;
  const fill = starts.slice(0, count);
  const order = new Int32Array(b.length);
  for (let j = 0; j < b.length; j++) {
    const row = sorted === null ? j : (sorted[j] as number);
    const g = ids[row] as number;
    order[fill[g]!++] = row;
  }
  return { order, starts };
}

/** Renders every group of the partition into an object and PUTs it under `url`; returns what it wrote. */
async function sinkObjects(a: SinkObjectsArgs, inputs: readonly unknown[]): Promise<SinkObjectsResult> {
  const batches = inputs as Batch[];
  const b = batches.length === 1 ? (batches[0] as Batch) : concatBatches(batches, a.fields);
  const template = parsePathTemplate(a.template);
  const render = await rendererOf(a.format);
  const queue = new PutQueue(storeFor(a.url), { concurrency: a.concurrency, attempts: a.attempts });
  if (b.length === 0) return { index: a.index, objects: 0, bytes: 0 };
  const keyCols = template.columns.map((c) => getColumn(b, c));
  const g = groupIds(keyCols, b.length);
  // Each group's value of each template column: as text for the path, as read for renderers (tile coordinates).
  const firstRows = keyCols.map((c) => takeColumn(c, g.firstRow));
  const texts = firstRows.map((c) => columnToArray(c.type === "utf8" ? c : castColumn(c, "utf8")) as (string | null)[]);
  const raw = firstRows.map((c) => columnToArray(c));
  const { order, starts } = groupRuns(b, g.ids, g.count, a.orderBy);
  const at = new Map(template.columns.map((c, i) => [c, i]));
  // One gather of the columns the renderer reads, in group order; each group is then a zero-copy slice.
  const rowsInOrder = takeBatch(selectColumns(b, renderedColumns(a.format)), order);
  for (let k = 0; k < g.count; k++) {
    const rows = sliceBatch(rowsInOrder, starts[k] as number, starts[k + 1] as number);
    const key = renderPath(template, (c) => (texts[at.get(c) as number] as (string | null)[])[k] ?? null);
    const body = render(rows, (c) => (raw[at.get(c) as number] as unknown[])[k]);
    await queue.put(joinUrl(a.url, key), body);
  }
  await queue.drain();
  return { index: a.index, ...queue.written };
}

/** After every part: the manifest of the run, written as the commit object when there is one (the run's last write). */
async function sinkObjectsCommit(a: SinkObjectsCommitArgs, inputs: readonly unknown[]): Promise<ObjectsManifest> {
  const parts = (inputs as SinkObjectsResult[]).map((p) => ({ index: p.index, objects: p.objects, bytes: p.bytes }));
  const manifest: ObjectsManifest = {
    token: a.token, template: a.template, objects: parts.reduce((n, p) => n + p.objects, 0), bytes: parts.reduce((n, p) => n + p.bytes, 0), parts,
  };
  if (a.commit !== null) await storeFor(a.url).put(joinUrl(a.url, a.commit), new TextEncoder().encode(`${JSON.stringify(manifest)}\n`));
  return manifest;
}

export const OBJECT_SINK_HANDLERS = {
  "sink-objects": sinkObjects,
  "sink-objects-commit": sinkObjectsCommit,
} satisfies Partial<OpHandlers>;
