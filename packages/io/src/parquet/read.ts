// Parquet to Batch: fetch only the wanted column chunks, decode them with parquet-wasm, copy them out via C data views.
import type { Field } from "@tessera/common";
import { IoError, isTesseraError } from "@tessera/common";
import type { Batch, Column } from "@tessera/kernels";
import * as pq from "parquet-wasm";
import type { ObjectStore } from "../store/object-store.js";
import { storeFor } from "../store/registry.js";
import { hintFor } from "./arrow-hint.js";
import { makeColumnSink, type ColumnSink } from "./column-sinks.js";
import { arrowSchemaHint, describeColumns, type ColumnDesc } from "./columns.js";
import { emptyColumn } from "./empty-column.js";
import { readFfiArray, readFfiSchema } from "./ffi.js";
import type { Footer } from "./footer.js";
import { footerOf, readParquetMeta, type ParquetMeta } from "./metadata.js";
import { buildMiniFile, chunkRange, indexFooter } from "./mini-file.js";
import { coalesceGapFor, coalesceRanges } from "./coalesce-ranges.js";

export interface ReadParquetOptions {
  /** Row-group indexes to read (sorted, duplicates dropped); all when absent. */
  readonly rowGroups?: readonly number[];
  /** Columns to decode, in the output's order; null or absent means every readable column. */
  readonly columns?: readonly string[] | null;
  /** Metadata from readParquetMeta, to skip reading the footer again. */
  readonly meta?: ParquetMeta;
  /** Rows per decoded chunk. parquet-wasm's default of 1,024 decodes ~8x slower than this default. */
  readonly batchSize?: number;
  /** utf8 columns to return as dictionary columns even when the writer did not declare them so. */
  readonly dictionary?: readonly string[];
}

export const DEFAULT_PARQUET_BATCH_SIZE = 122_880;
// Row groups are decoded in units of about this many uncompressed bytes. Small units keep parquet-wasm's memory
// small and reused: on this kind of VM first-touching fresh pages costs as much as decoding into them.
const UNIT_BYTES = 4 << 20;

function plan(meta: ParquetMeta, opts: ReadParquetOptions): { fields: Field[]; rowGroups: number[]; rows: number } {
  const byName = new Map(meta.fields.map((f) => [f.name, f]));
  const names = opts.columns ?? meta.fields.map((f) => f.name);
  const fields = names.map((name) => {
    const f = byName.get(name);
    if (f !== undefined) return f;
    const why = meta.unsupported.find((u) => u.name === name);
    if (why !== undefined) throw new IoError("IO_UNSUPPORTED_TYPE", `cannot read column ${name} of ${meta.url}: ${why.reason} is not supported`, { url: meta.url });
    throw new IoError("IO_BAD_COLUMN", `${meta.url} has no column ${name}; it has: ${[...byName.keys()].join(", ")}`, { url: meta.url });
  });
  if (new Set(names).size !== names.length) throw new IoError("IO_BAD_COLUMN", `columns listed twice in a read of ${meta.url}: ${names.join(", ")}`);
  const all = meta.rowGroups.map((rg) => rg.index);
  const rowGroups = opts.rowGroups === undefined ? all : [...new Set(opts.rowGroups)].sort((a, b) => a - b);
  let rows = 0;
  for (const i of rowGroups) {
    const rg = meta.rowGroups[i];
    if (!Number.isInteger(i) || rg === undefined) {
      throw new IoError("IO_BAD_ROW_GROUP", `${meta.url} has no row group ${i}; it has ${meta.rowGroups.length}`, { url: meta.url });
    }
    rows += rg.numRows;
  }
  return { fields, rowGroups, rows };
}

/** Consecutive row groups whose kept chunks add up to about UNIT_BYTES uncompressed (at least one row group each). */
function units(footer: Footer, rowGroups: readonly number[], leaves: readonly number[]): number[][] {
  const out: number[][] = [];
  let cur: number[] = [], bytes = 0;
  for (const rg of rowGroups) {
    const size = leaves.reduce((n, leaf) => n + (footer.rowGroups[rg]?.columns[leaf]?.uncompressedSize ?? 0), 0);
    if (cur.length > 0 && bytes + size > UNIT_BYTES) { out.push(cur); cur = []; bytes = 0; }
    cur.push(rg);
    bytes += size;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

/** Fetches the kept chunks of some row groups, nearby chunks in one request (see coalesce-ranges.ts). Keyed "rg:leaf". */
async function fetchChunks(store: ObjectStore, url: string, footer: Footer, rowGroups: readonly number[], leaves: readonly number[]): Promise<Map<string, Uint8Array>> {
  const wanted = rowGroups.flatMap((rg) => leaves.map((leaf) => {
    const meta = footer.rowGroups[rg]?.columns[leaf];
    if (meta === undefined) throw new IoError("IO_BAD_PARQUET", `not a Parquet file: ${url} (row group ${rg} lacks column chunk ${leaf})`, { url });
    return { key: `${rg}:${leaf}`, ...chunkRange(meta) };
  }));
  const out = new Map<string, Uint8Array>();
  await Promise.all(coalesceRanges(wanted, coalesceGapFor(url)).map(async (f) => {
    const bytes = await store.get(url, { offset: f.start, length: f.length });
    for (const w of f.ranges) out.set(w.key, bytes.subarray(w.start - f.start, w.start - f.start + w.length));
  }));
  return out;
}

function decodeError(url: string, rowGroups: readonly number[], e: unknown): IoError {
  if (isTesseraError(e)) return e as IoError;
  const why = e instanceof Error ? e.message : String(e);
  return new IoError("IO_BAD_PARQUET", `cannot decode Parquet file ${url} (row groups ${rowGroups.join(", ")}): ${why}`, { url });
}

/**
 * Reads the given columns of the given row groups of one Parquet file into one Batch. Only those column
 * chunks are fetched (ranged reads) and decoded. Columns the writer stored as Arrow dictionaries, and utf8
 * columns named in `dictionary`, come back as dictionary columns (one dictionary for the whole batch).
 * Throws IO_BAD_COLUMN / IO_UNSUPPORTED_TYPE / IO_BAD_ROW_GROUP / IO_BAD_PARQUET naming the file.
 */
export async function readParquet(url: string, opts: ReadParquetOptions = {}): Promise<Batch> {
  const meta = opts.meta ?? (await readParquetMeta(url));
  const { fields, rowGroups, rows } = plan(meta, opts);
  const dictionary = new Set([...meta.dictionaryFields, ...(opts.dictionary ?? [])]);
  if (fields.length === 0) return { fields: [], columns: [], length: rows };
  if (rows === 0) return { fields, columns: fields.map((f) => emptyColumn(f.type, dictionary.has(f.name))), length: 0 };

  const { footer, footerBytes } = await footerOf(meta);
  const descs = new Map(describeColumns(footer).map((d) => [d.name, d]));
  // The mini files keep the chosen columns in file order; the output takes the caller's order.
  const kept = fields.map((f) => descs.get(f.name) as ColumnDesc).sort((a, b) => a.leaf - b.leaf);
  const keptFields = kept.map((d) => fields.find((f) => f.name === d.name) as Field);
  const leaves = kept.map((d) => d.leaf);
  const hint = hintFor(arrowSchemaHint(footer), keptFields, dictionary);
  const index = indexFooter(footerBytes);
  const store = storeFor(meta.url);
  const batchSize = opts.batchSize ?? DEFAULT_PARQUET_BATCH_SIZE;
  const sinks = new Map<string, ColumnSink>();
  let at = 0;

  const work = units(footer, rowGroups, leaves);
  let next: Promise<Map<string, Uint8Array>> | undefined = fetchChunks(store, meta.url, footer, work[0] ?? [], leaves);
  try {
    for (let u = 0; u < work.length; u++) {
      const unit = work[u] as number[];
      const chunks: Map<string, Uint8Array> = await (next as Promise<Map<string, Uint8Array>>);
      // Fetch the next unit while this one decodes (file reads proceed on libuv's threads meanwhile).
      next = u + 1 < work.length ? fetchChunks(store, meta.url, footer, work[u + 1] as number[], leaves) : undefined;
      const mini = buildMiniFile(index, footer, { elements: kept.map((d) => d.element), leaves, rowGroups: unit, arrowSchema: hint },
        (rg, leaf) => chunks.get(`${rg}:${leaf}`) as Uint8Array);
      let ffi: pq.FFIStream;
      try {
        // The synchronous reader reports bad data as exceptions; parquet-wasm's async readers abort the process.
        ffi = pq.readParquet(mini, { batchSize }).intoFFI();
      } catch (e) {
        throw decodeError(meta.url, unit, e);
      }
      try {
        const memory = pq.wasmMemory().buffer as ArrayBuffer;
        const schema = readFfiSchema(memory, ffi.schemaAddr());
        for (let k = 0; k < ffi.numArrays(); k++) {
          const arr = readFfiArray(memory, ffi.arrayAddr(k));
          if (at + arr.length > rows) throw new Error(`decoded more rows than the footer declares (${rows})`);
          schema.children.forEach((child, i) => {
            let sink = sinks.get(child.name);
            if (sink === undefined) {
              sink = makeColumnSink(child, rows, meta.url);
              sinks.set(child.name, sink);
            }
            const chunk = arr.children[i];
            if (chunk === undefined || chunk.length !== arr.length) throw new Error(`column ${child.name} has a malformed chunk`);
            sink.append(memory, chunk, at);
          });
          at += arr.length;
        }
      } catch (e) {
        throw decodeError(meta.url, unit, e);
      } finally {
        ffi.free();
      }
    }
  } finally {
    next?.catch(() => undefined);  // a prefetch abandoned by an error must not become an unhandled rejection
  }
  if (at !== rows) throw new IoError("IO_BAD_PARQUET", `cannot decode Parquet file ${meta.url}: got ${at} rows, the footer declares ${rows}`, { url: meta.url });
  const columns: Column[] = fields.map((f) => {
    const sink = sinks.get(f.name);
    if (sink === undefined) throw new IoError("IO_BAD_PARQUET", `cannot decode Parquet file ${meta.url}: column ${f.name} was not returned`, { url: meta.url });
    const c = sink.finish(rows);
    return f.type === "timestamp[s]" ? msToSeconds(c) : c;
  });
  // The decoded type is authoritative (it is what the values are); it agrees with readParquetMeta's fields.
  return { fields: fields.map((f, i) => ({ ...f, type: (columns[i] as Column).type })), columns, length: rows };
}

// writeParquet stores timestamp[s] as milliseconds (see write.ts); this undoes it.
function msToSeconds(c: Column): Column {
  if (c.kind !== "num" || c.type !== "timestamp[ms]") return c;
  const v = c.values as BigInt64Array;
  for (let i = 0; i < v.length; i++) v[i] = (v[i] as bigint) / 1000n;
  return { ...c, type: "timestamp[s]" };
}

/** The readable columns of a Parquet file, from its footer. */
export async function readParquetSchema(url: string): Promise<Field[]> {
  return [...(await readParquetMeta(url)).fields];
}
