// Parquet to Batch: fetch only the wanted column chunks; decode their pages here, or through parquet-wasm for the rest.
import type { Field } from "@tessera/common";
import { IoError, isTesseraError } from "@tessera/common";
import type { Batch, Column } from "@tessera/kernels";
import { storeFor } from "../store/registry.js";
import { normalizeUrl } from "../url.js";
import { describeColumns, type ColumnDesc } from "./columns.js";
import { emptyColumn } from "./empty-column.js";
import { decodeFooter, type Footer } from "./footer.js";
import { footerOf, metaFromFooter, readParquetMeta, type ParquetMeta } from "./metadata.js";
import { indexFooter } from "./mini-file.js";
import { UnsupportedEncoding } from "./pages/column-chunk.js";
import { pageDecodable } from "./pages/page-columns.js";
import { readPages } from "./pages/read-pages.js";
import type { ColumnMemory } from "./pages/column-memory.js";
import { readWasm, UnitError } from "./read-wasm.js";

/**
 * The footer of part of a file (see parquetFooterPart): `rowGroups` are the original indexes of the row groups it
 * keeps, in order. A scan's planner reads each footer once and ships the part a task needs with the task.
 */
export interface ParquetFooterPart {
  readonly rowGroups: readonly number[];
  /** Thrift FileMetaData holding only those row groups and some top-level columns. */
  readonly bytes: Uint8Array;
  /** The whole file's size in bytes: the chunk ranges the part names are checked against it before any read. */
  readonly size: number;
}

export interface ReadParquetOptions {
  /** Row-group indexes to read (sorted, duplicates dropped); all when absent. */
  readonly rowGroups?: readonly number[];
  /** Columns to decode, in the output's order; null or absent means every readable column. */
  readonly columns?: readonly string[] | null;
  /** Metadata from readParquetMeta, to skip reading the footer again. */
  readonly meta?: ParquetMeta;
  /** A footer part holding the row groups and columns to read: no footer is read at all. */
  readonly footer?: ParquetFooterPart;
  /** Rows per chunk in the parquet-wasm fallback. Its default of 1,024 decodes ~8x slower than this default. */
  readonly batchSize?: number;
  /** utf8 columns to return as dictionary columns even when the writer did not declare them so. */
  readonly dictionary?: readonly string[];
  /**
   * Where the page decoder allocates the columns (see ColumnMemory; default "ordinary"): "shared" for a result handed
   * to other threads, "scratch" for columns the caller's task consumes. Columns the page decoder does not take come
   * back in ordinary memory.
   */
  readonly memory?: ColumnMemory;
}

export const DEFAULT_PARQUET_BATCH_SIZE = 122_880;

/** The footer to read from, its metadata (row groups by footer position) and the requested row groups' positions. */
interface Source {
  readonly meta: ParquetMeta;
  readonly footer: Footer;
  readonly footerBytes: Uint8Array;
  /** Footer position of each requested row group (original index), or all positions when none were requested. */
  readonly positions: readonly number[];
  /** The original index of the row group at a footer position (they differ in footer parts). */
  readonly original: (position: number) => number;
}

async function sourceOf(url: string, opts: ReadParquetOptions): Promise<Source> {
  if (opts.footer !== undefined) {
    const part = opts.footer;
    const name = normalizeUrl(url);
    let footer: Footer;
    try {
      footer = decodeFooter(part.bytes);
    } catch (e) {
      throw new IoError("IO_BAD_PARQUET", `not a Parquet file: ${name} (corrupt footer part: ${(e as Error).message})`, { url: name });
    }
    if (footer.rowGroups.length !== part.rowGroups.length) {
      throw new IoError("IO_BAD_PARQUET", `footer part of ${name} holds ${footer.rowGroups.length} row groups, it names ${part.rowGroups.length}`, { url: name });
    }
    const wanted = opts.rowGroups === undefined ? [...part.rowGroups] : [...new Set(opts.rowGroups)].sort((a, b) => a - b);
    const positions = wanted.map((rg) => {
      const p = part.rowGroups.indexOf(rg);
      if (p < 0) throw new IoError("IO_BAD_ROW_GROUP", `the footer part of ${name} lacks row group ${rg}`, { url: name });
      return p;
    });
    return { meta: metaFromFooter(name, part.size, footer), footer, footerBytes: part.bytes, positions, original: (p) => part.rowGroups[p] ?? p };
  }
  const meta = opts.meta ?? (await readParquetMeta(url));
  const { footer, footerBytes } = await footerOf(meta);
  const positions = opts.rowGroups === undefined ? meta.rowGroups.map((rg) => rg.index) : [...new Set(opts.rowGroups)].sort((a, b) => a - b);
  for (const i of positions) {
    if (!Number.isInteger(i) || meta.rowGroups[i] === undefined) {
      throw new IoError("IO_BAD_ROW_GROUP", `${meta.url} has no row group ${i}; it has ${meta.rowGroups.length}`, { url: meta.url });
    }
  }
  return { meta, footer, footerBytes, positions, original: (p) => p };
}

function wantedFields(meta: ParquetMeta, columns: readonly string[] | null | undefined): Field[] {
  const byName = new Map(meta.fields.map((f) => [f.name, f]));
  const names = columns ?? meta.fields.map((f) => f.name);
  if (new Set(names).size !== names.length) throw new IoError("IO_BAD_COLUMN", `columns listed twice in a read of ${meta.url}: ${names.join(", ")}`);
  return names.map((name) => {
    const f = byName.get(name);
    if (f !== undefined) return f;
    const why = meta.unsupported.find((u) => u.name === name);
    if (why !== undefined) throw new IoError("IO_UNSUPPORTED_TYPE", `cannot read column ${name} of ${meta.url}: ${why.reason} is not supported`, { url: meta.url });
    throw new IoError("IO_BAD_COLUMN", `${meta.url} has no column ${name}; it has: ${[...byName.keys()].join(", ")}`, { url: meta.url });
  });
}

function decodeError(url: string, original: (position: number) => number, e: unknown): IoError {
  if (isTesseraError(e)) return e as IoError;
  const groups = e instanceof UnitError ? ` (row groups ${e.rowGroups.map(original).join(", ")})` : "";
  const cause = e instanceof UnitError ? e.cause : e;
  const why = cause instanceof Error ? cause.message : String(cause);
  return new IoError("IO_BAD_PARQUET", `cannot decode Parquet file ${url}${groups}: ${why}`, { url });
}

/**
 * Reads the given columns of the given row groups of one Parquet file into one Batch. Only those column
 * chunks are fetched (ranged reads) and decoded. Flat columns of the common encodings (PLAIN, dictionary, RLE)
 * and codecs (none, snappy, gzip, brotli, zstd) are decoded page by page here; others go through parquet-wasm.
 * Columns the writer stored as Arrow dictionaries, and utf8 columns named in `dictionary`, come back as
 * dictionary columns (one dictionary for the whole batch).
 * Throws IO_BAD_COLUMN / IO_UNSUPPORTED_TYPE / IO_BAD_ROW_GROUP / IO_BAD_PARQUET naming the file.
 */
export async function readParquet(url: string, opts: ReadParquetOptions = {}): Promise<Batch> {
  const src = await sourceOf(url, opts);
  const { meta, footer } = src;
  const fields = wantedFields(meta, opts.columns);
  const rowGroups = src.positions;
  const rows = rowGroups.reduce((n, rg) => n + (footer.rowGroups[rg]?.numRows ?? 0), 0);
  const dictionary = new Set([...meta.dictionaryFields, ...(opts.dictionary ?? [])]);
  if (fields.length === 0) return { fields: [], columns: [], length: rows };
  if (rows === 0) return { fields, columns: fields.map((f) => emptyColumn(f.type, dictionary.has(f.name))), length: 0 };

  const descs = new Map(describeColumns(footer).map((d) => [d.name, d]));
  // Chunks are fetched and decoded in file order; the output takes the caller's order.
  const kept = fields.map((field) => ({ field, desc: descs.get(field.name) as ColumnDesc })).sort((a, b) => a.desc.leaf - b.desc.leaf);
  const store = storeFor(meta.url);
  const byPages = kept.filter((k) => pageDecodable(footer, k.desc, rowGroups));
  let byWasm = kept.filter((k) => !byPages.includes(k));
  const columns = new Map<string, Column>();
  try {
    if (byPages.length > 0) {
      try {
        const decoded = await readPages(store, meta.url, footer, rowGroups, byPages.map((k) => ({ desc: k.desc, dictionary: dictionary.has(k.field.name) })), rows, opts.memory ?? "ordinary");
        for (const [name, c] of decoded) columns.set(name, c);
      } catch (e) {
        if (!(e instanceof UnsupportedEncoding)) throw e;
        byWasm = kept;  // a page the footer did not announce: let the fallback decode every column
      }
    }
    if (byWasm.length > 0) {
      const wasm = { store, url: meta.url, footer, index: indexFooter(src.footerBytes), rowGroups, rows, batchSize: opts.batchSize ?? DEFAULT_PARQUET_BATCH_SIZE, dictionary };
      for (const [name, c] of await readWasm(wasm, byWasm)) columns.set(name, c);
    }
  } catch (e) {
    throw decodeError(meta.url, src.original, e);
  }
  const out = fields.map((f) => columns.get(f.name) as Column);
  // The decoded type is authoritative (it is what the values are); it agrees with readParquetMeta's fields.
  return { fields: fields.map((f, i) => ({ ...f, type: (out[i] as Column).type })), columns: out, length: rows };
}

/** The readable columns of a Parquet file, from its footer. */
export async function readParquetSchema(url: string): Promise<Field[]> {
  return [...(await readParquetMeta(url)).fields];
}
