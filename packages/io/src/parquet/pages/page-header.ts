// Parquet page headers (parquet.thrift PageHeader) decoded from the Thrift compact bytes before each page.
import { CompactReader, type TStruct, type TValue } from "../thrift-compact.js";

/** parquet.thrift `PageType`. */
export const PageType = { DATA_PAGE: 0, INDEX_PAGE: 1, DICTIONARY_PAGE: 2, DATA_PAGE_V2: 3 } as const;

/** parquet.thrift `Encoding` (the values this reader meets or names in errors). */
export const Encoding = {
  PLAIN: 0, PLAIN_DICTIONARY: 2, RLE: 3, BIT_PACKED: 4, DELTA_BINARY_PACKED: 5, DELTA_LENGTH_BYTE_ARRAY: 6,
  DELTA_BYTE_ARRAY: 7, RLE_DICTIONARY: 8, BYTE_STREAM_SPLIT: 9,
} as const;

/** One page: where its (possibly compressed) body lies in the chunk bytes, and what it holds. */
export interface PageHeader {
  readonly type: number;
  readonly uncompressedSize: number;
  readonly compressedSize: number;
  /** Values in the page, nulls included (data pages), or dictionary entries (dictionary pages). */
  readonly numValues: number;
  readonly encoding: number;
  /** Data page v2 only: levels are stored uncompressed before the values, with these byte lengths. */
  readonly v2: { readonly defLevelsBytes: number; readonly repLevelsBytes: number; readonly numNulls: number; readonly compressed: boolean } | null;
  /** Offset of the page body within the buffer the header was read from. */
  readonly bodyStart: number;
}

function int(s: TStruct | undefined, id: number, what: string): number {
  const v: TValue | undefined = s?.[id];
  if (typeof v !== "number") throw new Error(`page header without ${what}`);
  return v;
}

function struct(v: TValue | undefined): TStruct | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) ? v : undefined;
}

/**
 * Reads the page header at `pos` of `buf`. Throws an Error (wrapped by the caller) when it is malformed, or when the
 * page body it declares overruns `buf` (unless `withBody` is false: `buf` then holds the header alone).
 */
export function readPageHeader(buf: Uint8Array, pos: number, withBody = true): PageHeader {
  const r = new CompactReader(buf, pos);
  const h = r.struct();
  const type = int(h, 1, "type");
  const base = { type, uncompressedSize: int(h, 2, "uncompressed_page_size"), compressedSize: int(h, 3, "compressed_page_size"), bodyStart: r.pos };
  if (base.compressedSize < 0 || base.uncompressedSize < 0 || (withBody && r.pos + base.compressedSize > buf.length)) {
    throw new Error(`page of ${base.compressedSize} bytes at ${pos} overruns its column chunk`);
  }
  switch (type) {
    case PageType.DATA_PAGE: {
      const d = struct(h[5]);
      return { ...base, numValues: int(d, 1, "num_values"), encoding: int(d, 2, "encoding"), v2: null };
    }
    case PageType.DICTIONARY_PAGE: {
      const d = struct(h[7]);
      return { ...base, numValues: int(d, 1, "num_values"), encoding: int(d, 2, "encoding"), v2: null };
    }
    case PageType.DATA_PAGE_V2: {
      const d = struct(h[8]);
      return {
        ...base, numValues: int(d, 1, "num_values"), encoding: int(d, 4, "encoding"),
        v2: {
          numNulls: int(d, 2, "num_nulls"), defLevelsBytes: int(d, 5, "definition_levels_byte_length"),
          repLevelsBytes: int(d, 6, "repetition_levels_byte_length"), compressed: d?.[7] !== false,
        },
      };
    }
    default:
      return { ...base, numValues: 0, encoding: -1, v2: null };  // index pages and unknown kinds are skipped
  }
}
