// TIFF image file directories as data: typed entries, their encoded sizes, and serialization in classic TIFF or
// BigTIFF form (values that do not fit in an entry go to an out-of-line area right after the IFD).

/** TIFF field types used here, with their byte sizes. */
export const FIELD = { BYTE: 1, ASCII: 2, SHORT: 3, LONG: 4, DOUBLE: 12, LONG8: 16 } as const;
export type FieldType = (typeof FIELD)[keyof typeof FIELD];
const SIZE: Readonly<Record<FieldType, number>> = { 1: 1, 2: 1, 3: 2, 4: 4, 12: 8, 16: 8 };

export interface IfdEntry {
  readonly tag: number;
  readonly type: FieldType;
  /** Numbers for numeric types; a string (NUL added on write) for ASCII. */
  readonly values: readonly number[] | string;
}

export interface TiffFlavour {
  readonly bigTiff: boolean;
}

function count(e: IfdEntry): number {
  return typeof e.values === "string" ? Buffer.byteLength(e.values, "latin1") + 1 : e.values.length;
}

function valueBytes(e: IfdEntry): number {
  return count(e) * SIZE[e.type];
}

const inlineLimit = (f: TiffFlavour): number => (f.bigTiff ? 8 : 4);
const entrySize = (f: TiffFlavour): number => (f.bigTiff ? 20 : 12);
const headSize = (f: TiffFlavour): number => (f.bigTiff ? 8 : 2);
const nextSize = (f: TiffFlavour): number => (f.bigTiff ? 8 : 4);

/** Bytes an IFD takes with its out-of-line values (each value block starts on an even offset). */
export function ifdSize(entries: readonly IfdEntry[], f: TiffFlavour): number {
  let n = headSize(f) + entries.length * entrySize(f) + nextSize(f);
  for (const e of entries) {
    const b = valueBytes(e);
    if (b > inlineLimit(f)) n += b + (b & 1);
  }
  return n;
}

function writeValue(view: DataView, at: number, type: FieldType, v: number): void {
  switch (type) {
    case FIELD.BYTE: case FIELD.ASCII: view.setUint8(at, v); break;
    case FIELD.SHORT: view.setUint16(at, v, true); break;
    case FIELD.LONG: view.setUint32(at, v, true); break;
    case FIELD.DOUBLE: view.setFloat64(at, v, true); break;
    case FIELD.LONG8: view.setBigUint64(at, BigInt(v), true); break;
  }
}

function writeValues(view: DataView, at: number, e: IfdEntry): void {
  if (typeof e.values === "string") {
    const bytes = Buffer.from(e.values, "latin1");
    for (let i = 0; i < bytes.length; i++) view.setUint8(at + i, bytes[i] as number);
    view.setUint8(at + bytes.length, 0);
    return;
  }
  const s = SIZE[e.type];
  e.values.forEach((v, i) => writeValue(view, at + i * s, e.type, v));
}

/**
 * Writes the IFD at `offset` of `view` (entries sorted by tag, as TIFF requires), its out-of-line values right after
 * the entries, and `next` as the offset of the following IFD (0 for the last). Returns the offset past its bytes.
 */
export function writeIfd(view: DataView, offset: number, entries: readonly IfdEntry[], next: number, f: TiffFlavour): number {
  const sorted = [...entries].sort((a, b) => a.tag - b.tag);
  let at = offset;
  if (f.bigTiff) { view.setBigUint64(at, BigInt(sorted.length), true); at += 8; } else { view.setUint16(at, sorted.length, true); at += 2; }
  let extra = at + sorted.length * entrySize(f) + nextSize(f);
  for (const e of sorted) {
    view.setUint16(at, e.tag, true);
    view.setUint16(at + 2, e.type, true);
    if (f.bigTiff) view.setBigUint64(at + 4, BigInt(count(e)), true); else view.setUint32(at + 4, count(e), true);
    const valueAt = at + (f.bigTiff ? 12 : 8);
    const b = valueBytes(e);
    if (b <= inlineLimit(f)) writeValues(view, valueAt, e);
    else {
      if (f.bigTiff) view.setBigUint64(valueAt, BigInt(extra), true); else view.setUint32(valueAt, extra, true);
      writeValues(view, extra, e);
      extra += b + (b & 1);
    }
    at += entrySize(f);
  }
  if (f.bigTiff) view.setBigUint64(at, BigInt(next), true); else view.setUint32(at, next, true);
  return extra;
}
