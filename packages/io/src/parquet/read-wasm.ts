// The fallback decoder: chosen chunks rewritten as a small Parquet file, decoded by parquet-wasm, read through C data views.
import type { Field } from "@tessera/common";
import type { Column } from "@tessera/kernels";
import * as pq from "parquet-wasm";
import type { ObjectStore } from "../store/object-store.js";
import { hintFor } from "./arrow-hint.js";
import { makeColumnSink, type ColumnSink } from "./column-sinks.js";
import { arrowSchemaHint, type ColumnDesc } from "./columns.js";
import { forEachUnit, rowGroupUnits } from "./fetch-chunks.js";
import { readFfiArray, readFfiSchema } from "./ffi.js";
import type { Footer } from "./footer.js";
import { buildMiniFile, type FooterIndex } from "./mini-file.js";

// Row groups are decoded in units of about this many uncompressed bytes. Small units keep parquet-wasm's memory
// small and reused: on this kind of VM first-touching fresh pages costs as much as decoding into them.
const UNIT_BYTES = 4 << 20;

/** A failure inside a unit of row groups, for the caller to name the file. */
export class UnitError extends Error {
  constructor(readonly rowGroups: readonly number[], override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

export interface WasmRead {
  readonly store: ObjectStore;
  readonly url: string;
  readonly footer: Footer;
  readonly index: FooterIndex;
  /** Row groups (footer positions), `rows` rows in all. */
  readonly rowGroups: readonly number[];
  readonly rows: number;
  readonly batchSize: number;
  readonly dictionary: ReadonlySet<string>;
}

/** Decodes columns `kept` (in file order, with their fields) through parquet-wasm; returns each column by name. */
export async function readWasm(r: WasmRead, kept: readonly { desc: ColumnDesc; field: Field }[]): Promise<Map<string, Column>> {
  const leaves = kept.map((k) => k.desc.leaf);
  const hint = hintFor(arrowSchemaHint(r.footer), kept.map((k) => k.field), r.dictionary);
  const sinks = new Map<string, ColumnSink>();
  let at = 0;
  const units = rowGroupUnits(r.footer, r.rowGroups, leaves, UNIT_BYTES, (c) => c.uncompressedSize);
  await forEachUnit(r.store, r.url, r.footer, units, leaves, (unit, chunks) => {
    const mini = buildMiniFile(r.index, r.footer, { elements: kept.map((k) => k.desc.element), leaves, rowGroups: unit, arrowSchema: hint },
      (rg, leaf) => chunks.get(`${rg}:${leaf}`) as Uint8Array);
    let ffi: pq.FFIStream;
    try {
      // The synchronous reader reports bad data as exceptions; parquet-wasm's async readers abort the process.
      ffi = pq.readParquet(mini, { batchSize: r.batchSize }).intoFFI();
    } catch (e) {
      throw new UnitError(unit, e);
    }
    try {
      const memory = pq.wasmMemory().buffer as ArrayBuffer;
      const schema = readFfiSchema(memory, ffi.schemaAddr());
      for (let k = 0; k < ffi.numArrays(); k++) {
        const arr = readFfiArray(memory, ffi.arrayAddr(k));
        if (at + arr.length > r.rows) throw new Error(`decoded more rows than the footer declares (${r.rows})`);
        schema.children.forEach((child, i) => {
          let sink = sinks.get(child.name);
          if (sink === undefined) {
            sink = makeColumnSink(child, r.rows, r.url);
            sinks.set(child.name, sink);
          }
          const chunk = arr.children[i];
          if (chunk === undefined || chunk.length !== arr.length) throw new Error(`column ${child.name} has a malformed chunk`);
          sink.append(memory, chunk, at);
        });
        at += arr.length;
      }
    } catch (e) {
      throw new UnitError(unit, e);
    } finally {
      ffi.free();
    }
  });
  if (at !== r.rows) throw new Error(`got ${at} rows, the footer declares ${r.rows}`);
  const out = new Map<string, Column>();
  for (const k of kept) {
    const sink = sinks.get(k.field.name);
    if (sink === undefined) throw new Error(`column ${k.field.name} was not returned`);
    const c = sink.finish(r.rows);
    out.set(k.field.name, k.field.type === "timestamp[s]" ? msToSeconds(c) : c);
  }
  return out;
}

// writeParquet stores timestamp[s] as milliseconds (see write.ts); this undoes it.
function msToSeconds(c: Column): Column {
  if (c.kind !== "num" || c.type !== "timestamp[ms]") return c;
  const v = c.values as BigInt64Array;
  for (let i = 0; i < v.length; i++) v[i] = (v[i] as bigint) / 1000n;
  return { ...c, type: "timestamp[s]" };
}
