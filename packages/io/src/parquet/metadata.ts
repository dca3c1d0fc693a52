// Parquet footers read with ranged reads and turned into plain metadata: schema, row groups, statistics.
import type { Field } from "@tessera/common";
import { IoError } from "@tessera/common";
import { storeFor } from "../store/registry.js";
import { normalizeUrl } from "../url.js";
import { describeColumns } from "./columns.js";
import { decodeFooter, type ColumnChunkMeta, type Footer } from "./footer.js";
import { chunkRange } from "./mini-file.js";
import { columnStats, type ColumnStats } from "./stats.js";

export type { ColumnStats, StatValue } from "./stats.js";

export interface RowGroupInfo {
  readonly index: number;
  readonly numRows: number;
  /** Uncompressed size of the row group's column data, in bytes. */
  readonly totalByteSize: number;
  /** Per supported top-level column: min/max in the column's logical type (see StatValue), null when unknown. */
  readonly columns: Readonly<Record<string, ColumnStats>>;
}

/** Plain-data description of one Parquet file; safe to cache, send to workers, and pass back to readParquet. */
export interface ParquetMeta {
  readonly url: string;
  readonly size: number;
  readonly numRows: number;
  /** Readable top-level columns, in file order. */
  readonly fields: readonly Field[];
  /** Columns the writer declared Dictionary<int, utf8> in its Arrow schema; they read as dictionary columns. */
  readonly dictionaryFields: readonly string[];
  /** Columns this reader cannot decode (nested, decimal, time of day, ...), with the reason. */
  readonly unsupported: readonly { readonly name: string; readonly reason: string }[];
  readonly rowGroups: readonly RowGroupInfo[];
  readonly createdBy: string | null;
}

const MAGIC = [0x50, 0x41, 0x52, 0x31];  // "PAR1"
// One speculative tail read holds the footers of files of a few row groups (saving a round trip on remote stores);
// a larger footer costs one more, exact, read. Kept small because a selective scan may need little more than
// its footers: a 64 KiB tail read would fetch more bytes than the column chunks such a scan reads.
const TAIL_BYTES = 8 * 1024;

function bad(url: string, why: string): IoError {
  return new IoError("IO_BAD_PARQUET", `not a Parquet file: ${url} (${why})`, { url });
}

/** A decoded footer with its raw Thrift bytes (which mini files are rewritten from). */
export interface FooterRead {
  readonly url: string;
  readonly size: number;
  readonly footer: Footer;
  readonly footerBytes: Uint8Array;
}

/** Reads and decodes the footer of a Parquet object: the tail first, then the rest of the footer if needed. */
export async function readFooter(rawUrl: string): Promise<FooterRead> {
  const url = normalizeUrl(rawUrl);
  const store = storeFor(url);
  const { size } = await store.head(url);
  if (size < 12) throw bad(url, `too small: ${size} bytes`);
  const tailLen = Math.min(size, TAIL_BYTES);
  const tail = await store.get(url, { offset: size - tailLen, length: tailLen });
  if (MAGIC.some((b, i) => tail[tailLen - 4 + i] !== b)) throw bad(url, "bad magic");
  const footerLen = new DataView(tail.buffer, tail.byteOffset + tailLen - 8, 4).getUint32(0, true);
  if (footerLen + 12 > size) throw bad(url, `footer length ${footerLen} exceeds the file size ${size}; truncated?`);
  const footerBytes = footerLen + 8 <= tailLen
    ? tail.subarray(tailLen - 8 - footerLen, tailLen - 8)
    : await store.get(url, { offset: size - 8 - footerLen, length: footerLen });
  try {
    return { url, size, footer: decodeFooter(footerBytes), footerBytes };
  } catch (e) {
    throw bad(url, `corrupt footer: ${(e as Error).message}`);
  }
}

const count = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;

/**
 * Checks what the readers rely on before any page is fetched: counts are non-negative integers, a flat column's
 * chunk holds one value per row of its row group, and each chunk lies between the leading magic and the footer.
 */
function checkRowGroup(url: string, size: number, rg: Footer["rowGroups"][number], index: number, chunk: ColumnChunkMeta, name: string): void {
  if (!count(rg.numRows)) throw bad(url, `row group ${index} declares ${rg.numRows} rows`);
  if (chunk.numValues !== rg.numRows) throw bad(url, `row group ${index} has ${rg.numRows} rows but column ${name} holds ${chunk.numValues} values`);
  const { start, length } = chunkRange(chunk);
  if (!count(start) || !count(length) || start < 4 || start + length > size - 8) {
    throw bad(url, `column ${name} of row group ${index} lies at bytes ${start}..${start + length}, outside the data (${size} bytes)`);
  }
}

/** Builds ParquetMeta from a decoded footer. */
export function metaFromFooter(url: string, size: number, footer: Footer): ParquetMeta {
  const cols = describeColumns(footer);
  const supported = cols.filter((c) => c.field !== null);
  if (!count(footer.numRows)) throw bad(url, `the footer declares ${footer.numRows} rows`);
  const rowGroups = footer.rowGroups.map((rg, index): RowGroupInfo => {
    const columns: Record<string, ColumnStats> = {};
    for (const c of supported) {
      const chunk = rg.columns[c.leaf];
      if (chunk === undefined) throw bad(url, `row group ${index} lacks column ${c.name}`);
      checkRowGroup(url, size, rg, index, chunk, c.name);
      columns[c.name] = columnStats(chunk.statistics, c);
    }
    return { index, numRows: rg.numRows, totalByteSize: rg.totalByteSize, columns };
  });
  const sum = rowGroups.reduce((n, rg) => n + rg.numRows, 0);
  if (sum !== footer.numRows) throw bad(url, `the footer declares ${footer.numRows} rows but its row groups hold ${sum}`);
  return {
    url,
    size,
    numRows: footer.numRows,
    fields: supported.map((c) => c.field as Field),
    dictionaryFields: supported.filter((c) => c.dictionary).map((c) => c.name),
    unsupported: cols.filter((c) => c.unsupported !== null).map((c) => ({ name: c.name, reason: c.unsupported as string })),
    rowGroups,
    createdBy: footer.createdBy ?? null,
  };
}

/**
 * Metadata of one Parquet file, from its footer alone (no data pages are read).
 * Throws IO_NOT_FOUND when it does not exist, IO_BAD_PARQUET naming the file when it is not Parquet.
 */
export async function readParquetMeta(url: string): Promise<ParquetMeta> {
  const read = await readFooter(url);
  const meta = metaFromFooter(read.url, read.size, read.footer);
  footers.set(meta, read);
  return meta;
}

// Footers of the metadata objects this process made, so readParquet({ meta }) need not read them again.
const footers = new WeakMap<ParquetMeta, FooterRead>();

/** The raw footer (Thrift bytes) `meta` was made from, when readParquetMeta made it in this thread; else null. */
export function parquetFooterBytes(meta: ParquetMeta): Uint8Array | null {
  return footers.get(meta)?.footerBytes ?? null;
}

/** The footer `meta` was made from: remembered when readParquetMeta made it here, else read again. */
export async function footerOf(meta: ParquetMeta): Promise<FooterRead> {
  return footers.get(meta) ?? (await readFooter(meta.url));
}
