// Batches to Parquet bytes: Arrow IPC into parquet-wasm's writer, every Tessera type preserved.
import type { Field } from "@tessera/common";
import { IoError } from "@tessera/common";
import { tableFromBatches, type Batch, type Column } from "@tessera/kernels";
import { tableToIPC } from "apache-arrow";
import * as pq from "parquet-wasm";
import { TESSERA_SCHEMA_KEY } from "./tessera-schema.js";

export interface WriteParquetOptions {
  /** Codec of every column chunk; zstd by default. */
  readonly compression?: "zstd" | "snappy" | "none";
  /** Maximum rows per row group; 122,880 by default (a multiple of the reader's batch size). */
  readonly rowGroupSize?: number;
  /** Dictionary-encode pages where the writer finds it pays; true by default. */
  readonly dictionary?: boolean;
}

export const DEFAULT_ROW_GROUP_SIZE = 122_880;

// Parquet has no seconds unit and parquet-wasm writes Arrow seconds as bare INT64 (DuckDB sees BIGINT), so
// seconds are written as milliseconds; TESSERA_SCHEMA_KEY restores the unit on read.
function secondsToMs(c: Column): Column {
  if (c.kind !== "num" || c.type !== "timestamp[s]") return c;
  const src = c.values as BigInt64Array;
  const values = new BigInt64Array(src.length);
  for (let i = 0; i < src.length; i++) values[i] = (src[i] as bigint) * 1000n;
  return { ...c, type: "timestamp[ms]", values };
}

const CODECS: Readonly<Record<NonNullable<WriteParquetOptions["compression"]>, pq.Compression>> = {
  zstd: pq.Compression.ZSTD,
  snappy: pq.Compression.SNAPPY,
  none: pq.Compression.UNCOMPRESSED,
};

/**
 * Encodes the batches (each with `fields`' columns, by position) as one Parquet file. The writer's Arrow
 * schema is stored too, so dictionary columns, timestamp units and unsigned types read back as written.
 * Column chunks get min/max statistics.
 */
export function writeParquet(batches: readonly Batch[], fields: readonly Field[], opts: WriteParquetOptions = {}): Uint8Array {
  const rowGroupSize = opts.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE;
  if (!Number.isInteger(rowGroupSize) || rowGroupSize < 1) {
    throw new IoError("IO_BAD_OPTION", `rowGroupSize must be a positive integer, got ${rowGroupSize}`);
  }
  const codec = CODECS[opts.compression ?? "zstd"];
  if (codec === undefined) throw new IoError("IO_BAD_OPTION", `unknown Parquet compression ${String(opts.compression)}`);
  batches.forEach((b, i) => {
    if (b.columns.length !== fields.length) {
      throw new IoError("IO_BAD_OPTION", `batch ${i} has ${b.columns.length} columns, the schema has ${fields.length}`);
    }
  });
  const stored = fields.map((f) => (f.type === "timestamp[s]" ? { ...f, type: "timestamp[ms]" as const } : f));
  const converted = fields.some((f) => f.type === "timestamp[s]")
    ? batches.map((b) => ({ ...b, fields: stored, columns: b.columns.map(secondsToMs) }))
    : batches;
  const ipc = tableToIPC(tableFromBatches(converted, stored), "stream");
  const props = new pq.WriterPropertiesBuilder()
    .setCompression(codec)
    .setMaxRowGroupSize(rowGroupSize)
    .setDictionaryEnabled(opts.dictionary ?? true)
    .setStatisticsEnabled(pq.EnabledStatistics.Chunk)
    .setCreatedBy("tessera (parquet-wasm 0.8.0)")
    .setKeyValueMetadata(new Map([[TESSERA_SCHEMA_KEY, JSON.stringify(fields.map((f) => ({ name: f.name, type: f.type })))]]))
    .build();
  try {
    return pq.writeParquet(pq.Table.fromIPCStream(ipc), props);
  } catch (e) {
    throw new IoError("IO_WRITE", `cannot encode Parquet: ${e instanceof Error ? e.message : String(e)}`);
  }
}
