// One column chunk's pages decoded into a ValueTarget: decompress, definition levels, then PLAIN or dictionary values.
import { PhysicalType as P } from "../footer.js";
import { byteStreamSplit, deltaByteArrays, deltaInt32, deltaLengthByteArrays } from "./delta-encodings.js";
import { decompress } from "./decompress.js";
import { Encoding, PageType, readPageHeader } from "./page-header.js";
import { decodeRleHybrid, decodeValidity } from "./rle-hybrid.js";
import { FixedTarget, type ValueTarget } from "./value-targets.js";

/** How to read one column's chunks: its physical type and codec, whether rows may be null, and where the values go. */
export interface ChunkSpec {
  readonly physical: number;
  readonly codec: number;
  /** Max definition level 1 (an optional flat column) or 0 (required: no levels are stored). */
  readonly optional: boolean;
  readonly target: ValueTarget;
  /** Validity of every row of the read (allocated by the caller when the column is optional). */
  readonly valid: Uint8Array | null;
}

/** Reusable per-thread scratch for dictionary indices and definition levels. */
class Scratch {
  idx = new Int32Array(0);
  levels = new Int32Array(0);
  ensure(n: number): void {
    if (this.idx.length < n) { this.idx = new Int32Array(n); this.levels = new Int32Array(n); }
  }
}
const scratch = new Scratch();

/** Bytes per value of the physical types BYTE_STREAM_SPLIT applies to. */
const SPLIT_WIDTH: Readonly<Partial<Record<number, number>>> = { [P.INT32]: 4, [P.INT64]: 8, [P.FLOAT]: 4, [P.DOUBLE]: 8 };

const le32 = (b: Uint8Array, p: number): number =>
  ((b[p] as number) | ((b[p + 1] as number) << 8) | ((b[p + 2] as number) << 16) | ((b[p + 3] as number) << 24)) >>> 0;

/** Values of a data page after its levels: PLAIN, dictionary indices, RLE booleans, or a v2 encoding (rewritten as PLAIN). */
function decodeValues(spec: ChunkSpec, encoding: number, body: Uint8Array, pos: number, rows: number, nonNull: number, valid: Uint8Array | null, at: number): void {
  const t = spec.target;
  switch (encoding) {
    case Encoding.PLAIN:
      t.plain(body, pos, body.length, rows, nonNull, valid, at);
      return;
    case Encoding.PLAIN_DICTIONARY: case Encoding.RLE_DICTIONARY: {
      if (nonNull === 0) { t.indices(scratch.idx, rows, 0, valid, at); return; }
      const width = body[pos] as number;
      if (width > 32) throw new Error(`dictionary index width ${width}`);
      if (valid === null && t.lookup(body, pos + 1, body.length, width, rows, at)) return;
      decodeRleHybrid(body, pos + 1, body.length, width, nonNull, scratch.idx);
      t.indices(scratch.idx, rows, nonNull, valid, at);
      return;
    }
    case Encoding.DELTA_BINARY_PACKED: {
      if (spec.physical !== P.INT32) throw new UnsupportedEncoding(encoding);
      const { values } = deltaInt32(body, pos, nonNull);
      t.plain(new Uint8Array(values.buffer), 0, values.byteLength, rows, nonNull, valid, at);
      return;
    }
    case Encoding.DELTA_LENGTH_BYTE_ARRAY: case Encoding.DELTA_BYTE_ARRAY: {
      if (spec.physical !== P.BYTE_ARRAY) throw new UnsupportedEncoding(encoding);
      const plain = encoding === Encoding.DELTA_BYTE_ARRAY ? deltaByteArrays(body, pos, nonNull) : deltaLengthByteArrays(body, pos, nonNull);
      t.plain(plain, 0, plain.length, rows, nonNull, valid, at);
      return;
    }
    case Encoding.BYTE_STREAM_SPLIT: {
      const width = SPLIT_WIDTH[spec.physical];
      if (width === undefined) throw new UnsupportedEncoding(encoding);
      const plain = byteStreamSplit(body, pos, nonNull, width);
      t.plain(plain, 0, plain.length, rows, nonNull, valid, at);
      return;
    }
    case Encoding.RLE: {
      if (!(t instanceof FixedTarget)) throw new Error("RLE-encoded values in a non-boolean column");
      const len = le32(body, pos);
      decodeRleHybrid(body, pos + 4, pos + 4 + len, 1, nonNull, scratch.idx);
      t.bits(scratch.idx, rows, nonNull, valid, at);
      return;
    }
    default:
      throw new UnsupportedEncoding(encoding);
  }
}

/** A page encoding this decoder does not implement; the reader falls back to another decoder for the column. */
export class UnsupportedEncoding extends Error {
  constructor(readonly encoding: number) {
    super(`page encoding ${encoding} is not supported by the page decoder`);
  }
}

/**
 * Decodes every page of one column chunk (`chunk`: its bytes, dictionary page first) into rows [at, at+rows).
 * Throws Error on malformed data (the caller names the file) and UnsupportedEncoding for encodings left to others.
 */
export function decodeColumnChunk(spec: ChunkSpec, chunk: Uint8Array, at: number, rows: number): void {
  let pos = 0, done = 0;
  while (done < rows) {
    if (pos >= chunk.length) throw new Error(`column chunk ends after ${done} of ${rows} rows`);
    const h = readPageHeader(chunk, pos);
    const raw = chunk.subarray(h.bodyStart, h.bodyStart + h.compressedSize);
    pos = h.bodyStart + h.compressedSize;
    if (h.type === PageType.DICTIONARY_PAGE) {
      if (h.encoding !== Encoding.PLAIN && h.encoding !== Encoding.PLAIN_DICTIONARY) throw new UnsupportedEncoding(h.encoding);
      const body = decompress(spec.codec, raw, h.uncompressedSize);
      spec.target.dictionary(body, 0, body.length, h.numValues);
      continue;
    }
    if (h.type !== PageType.DATA_PAGE && h.type !== PageType.DATA_PAGE_V2) continue;
    const n = h.numValues;
    if (n > rows - done) throw new Error(`a page holds ${n} values, only ${rows - done} rows are left in its row group`);
    scratch.ensure(n);
    let body: Uint8Array, vpos: number, nulls = 0;
    const validAt = spec.valid === null ? null : spec.valid.subarray(at + done, at + done + n);
    if (h.v2 !== null) {
      const levelBytes = h.v2.defLevelsBytes + h.v2.repLevelsBytes;
      if (h.v2.repLevelsBytes !== 0) throw new Error("repetition levels in a flat column");
      if (validAt !== null) nulls = decodeValidity(raw, 0, h.v2.defLevelsBytes, n, validAt, 0, scratch.levels);
      const values = raw.subarray(levelBytes);
      body = h.v2.compressed ? decompress(spec.codec, values, h.uncompressedSize - levelBytes) : values;
      vpos = 0;
    } else {
      body = decompress(spec.codec, raw, h.uncompressedSize);
      vpos = 0;
      if (spec.optional) {
        const len = le32(body, 0);
        if (validAt !== null) nulls = decodeValidity(body, 4, 4 + len, n, validAt, 0, scratch.levels);
        vpos = 4 + len;
      }
    }
    decodeValues(spec, h.encoding, body, vpos, n, n - nulls, nulls > 0 ? validAt : null, at + done);
    done += n;
  }
}
