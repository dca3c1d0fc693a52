// A small Parquet file holding only chosen column chunks of chosen row groups, with its footer rewritten to match.
import { CompactReader, CompactWriter, T, type FieldSpan } from "./thrift-compact.js";
import type { ColumnChunkMeta, Footer } from "./footer.js";

/** Bytes [start, start+length) of the original file that hold one column chunk (dictionary page included). */
export interface ChunkRange {
  readonly start: number;
  readonly length: number;
  /** False when the footer's dictionary_page_offset is unusable (absent, 0, or past the data page). */
  readonly dictionaryOffsetValid: boolean;
}

export function chunkRange(c: ColumnChunkMeta): ChunkRange {
  const dict = c.dictionaryPageOffset;
  const valid = dict !== undefined && dict > 0 && dict <= c.dataPageOffset;
  return { start: valid ? (dict as number) : c.dataPageOffset, length: c.compressedSize, dictionaryOffsetValid: valid };
}

interface Span { readonly start: number; readonly end: number }

/** Where the parts of a footer lie, found once per read so each mini file costs no footer parse. */
export interface FooterIndex {
  readonly bytes: Uint8Array;
  readonly top: readonly FieldSpan[];
  readonly schema: readonly Span[];
  readonly rootSpans: readonly FieldSpan[];
  readonly rowGroups: readonly { readonly spans: readonly FieldSpan[]; readonly chunks: readonly Span[] }[];
  readonly columnOrders: readonly Span[];
}

export function indexFooter(bytes: Uint8Array): FooterIndex {
  const top = spansAt(bytes, 0).spans;
  const at = (id: number): FieldSpan | undefined => top.find((s) => s.id === id);
  const schema = at(2) === undefined ? [] : listElements(bytes, (at(2) as FieldSpan).start);
  const rowGroups = (at(4) === undefined ? [] : listElements(bytes, (at(4) as FieldSpan).start)).map((rg) => {
    const spans = spansAt(bytes, rg.start).spans;
    const cols = spans.find((x) => x.id === 1);
    return { spans, chunks: cols === undefined ? [] : listElements(bytes, cols.start) };
  });
  return {
    bytes, top, schema,
    rootSpans: schema[0] === undefined ? [] : spansAt(bytes, schema[0].start).spans,
    rowGroups,
    columnOrders: at(7) === undefined ? [] : listElements(bytes, (at(7) as FieldSpan).start),
  };
}

/** What to keep: top-level columns by schema-element index and leaf index (flat columns only), and row groups. */
export interface MiniFilePlan {
  /** Schema element index (in the flattened schema list) of each kept column, in file order. */
  readonly elements: readonly number[];
  /** Leaf (column chunk) index of each kept column, same order as `elements`. */
  readonly leaves: readonly number[];
  readonly rowGroups: readonly number[];
  /** Replacement ARROW:schema value (base64), or null to write none. */
  readonly arrowSchema: string | null;
}

const PAR1 = Uint8Array.of(0x50, 0x41, 0x52, 0x31);
const enc = new TextEncoder();

function spansAt(buf: Uint8Array, pos: number): { spans: FieldSpan[]; end: number } {
  const r = new CompactReader(buf, pos);
  const spans = r.spans();
  return { spans, end: r.pos };
}

function intAt(buf: Uint8Array, pos: number): number {
  return new CompactReader(buf, pos).zigzag();
}

/** Start and end of every element of the list whose value starts at `pos`. */
function listElements(buf: Uint8Array, pos: number): Span[] {
  const r = new CompactReader(buf, pos);
  const { size } = r.listHeader();
  const out: Span[] = [];
  for (let i = 0; i < size; i++) {
    const start = r.pos;
    r.spans();
    out.push({ start, end: r.pos });
  }
  return out;
}

function copy(w: CompactWriter, buf: Uint8Array, s: FieldSpan): void {
  w.field(s.id, s.type);
  w.raw(buf.subarray(s.start, s.end));
}

function writeColumnMeta(w: CompactWriter, buf: Uint8Array, pos: number, delta: number, dictValid: boolean): void {
  w.beginStruct();
  for (const s of spansAt(buf, pos).spans) {
    if (s.id === 9 || (s.id === 11 && dictValid)) {  // data_page_offset, dictionary_page_offset
      w.field(s.id, T.I64);
      w.int(intAt(buf, s.start) + delta);
    } else if (s.id === 10 || s.id === 11 || s.id === 14 || s.id === 15) {
      // index page, unusable dictionary offset, bloom filter: not copied
    } else copy(w, buf, s);
  }
  w.endStruct();
}

function writeColumnChunk(w: CompactWriter, buf: Uint8Array, pos: number, delta: number, dictValid: boolean): void {
  w.beginStruct();
  for (const s of spansAt(buf, pos).spans) {
    if (s.id === 2) {
      w.field(2, T.I64);
      w.int(Math.max(0, intAt(buf, s.start) + delta));
    } else if (s.id === 3) {
      w.field(3, T.Struct);
      writeColumnMeta(w, buf, s.start, delta, dictValid);
    } else if (s.id === 1) copy(w, buf, s);
    // 4..7 page index locations and 8..9 encryption are not carried over
  }
  w.endStruct();
}

/** Where one kept chunk lies in the file being written: its shift from the original offsets, start and length. */
interface Placed { readonly delta: number; readonly dictValid: boolean; readonly start: number; readonly length: number }

/**
 * Writes the footer Thrift for the kept columns and row groups. Chunk offsets move by each chunk's `delta`; page
 * indexes, bloom filters, sorting columns and encryption data are dropped; the root's child count and num_rows
 * follow the selection. Key-value metadata is copied (`arrowSchema` undefined) or replaced by one ARROW:schema entry.
 */
function writeFooter(index: FooterIndex, footer: Footer, plan: Omit<MiniFilePlan, "arrowSchema">, arrowSchema: string | null | undefined,
  placed: (rg: number, leaf: number) => Placed): Uint8Array {
  const footerBytes = index.bytes;
  const w = new CompactWriter();
  let kvWritten = false;
  const writeKeyValue = (): void => {
    kvWritten = true;
    if (arrowSchema === undefined) {
      const kv = index.top.find((s) => s.id === 5);
      if (kv !== undefined) copy(w, footerBytes, kv);
      return;
    }
    if (arrowSchema === null) return;
    w.field(5, T.List);
    w.listHeader(1, T.Struct);
    w.beginStruct();
    w.field(1, T.Binary);
    w.binary(enc.encode("ARROW:schema"));
    w.field(2, T.Binary);
    w.binary(enc.encode(arrowSchema));
    w.endStruct();
  };
  w.beginStruct();
  for (const s of index.top) {
    if (s.id > 5 && !kvWritten) writeKeyValue();
    switch (s.id) {
      case 2: {  // schema: the root with a new child count, then the kept elements
        const els = index.schema;
        w.field(2, T.List);
        w.listHeader(1 + plan.elements.length, T.Struct);
        w.beginStruct();
        for (const rs of index.rootSpans) {
          if (rs.id === 5) { w.field(5, T.I32); w.int(plan.elements.length); } else copy(w, footerBytes, rs);
        }
        w.endStruct();
        for (const e of plan.elements) {
          const el = els[e] as Span;
          w.raw(footerBytes.subarray(el.start, el.end));
        }
        break;
      }
      case 3: {
        w.field(3, T.I64);
        w.int(plan.rowGroups.reduce((n, rg) => n + (footer.rowGroups[rg]?.numRows ?? 0), 0));
        break;
      }
      case 4: {
        w.field(4, T.List);
        w.listHeader(plan.rowGroups.length, T.Struct);
        for (const rg of plan.rowGroups) {
          const rgIndex = index.rowGroups[rg] as FooterIndex["rowGroups"][number];
          w.beginStruct();
          for (const rs of rgIndex.spans) {
            if (rs.id === 1) {
              const chunks = rgIndex.chunks;
              w.field(1, T.List);
              w.listHeader(plan.leaves.length, T.Struct);
              for (const leaf of plan.leaves) {
                const m = placed(rg, leaf);
                writeColumnChunk(w, footerBytes, (chunks[leaf] as Span).start, m.delta, m.dictValid);
              }
            } else if (rs.id === 5) {
              w.field(5, T.I64);
              w.int(plan.leaves[0] === undefined ? PAR1.length : placed(rg, plan.leaves[0]).start);
            } else if (rs.id === 6) {
              w.field(6, T.I64);
              w.int(plan.leaves.reduce((n, leaf) => n + placed(rg, leaf).length, 0));
            } else if (rs.id === 2 || rs.id === 3) copy(w, footerBytes, rs);
            // 4 sorting_columns (column indexes change) and 7 ordinal are dropped
          }
          w.endStruct();
        }
        break;
      }
      case 5: break;  // key-value metadata: written by writeKeyValue, in field order
      case 7: {  // column_orders: one per leaf
        const orders = index.columnOrders;
        w.field(7, T.List);
        w.listHeader(plan.leaves.length, T.Struct);
        for (const leaf of plan.leaves) {
          const o = orders[leaf] as Span;
          w.raw(footerBytes.subarray(o.start, o.end));
        }
        break;
      }
      case 1: case 6: copy(w, footerBytes, s); break;
      default: break;  // encryption fields and anything newer are not carried over
    }
  }
  if (!kvWritten) writeKeyValue();
  w.endStruct();
  return w.bytes();
}

/**
 * Builds the file: "PAR1", the kept chunks (from `chunkBytes(rowGroup, leaf)`), the rewritten footer (see
 * writeFooter; its only key-value entry is `plan.arrowSchema`), its length and "PAR1".
 */
export function buildMiniFile(index: FooterIndex, footer: Footer, plan: MiniFilePlan, chunkBytes: (rg: number, leaf: number) => Uint8Array): Uint8Array {
  // Lay out the data: row group by row group, kept columns in file order.
  const parts: Uint8Array[] = [PAR1];
  let at = PAR1.length;
  const moved = new Map<string, Placed>();
  for (const rg of plan.rowGroups) {
    for (const leaf of plan.leaves) {
      const meta = footer.rowGroups[rg]?.columns[leaf] as ColumnChunkMeta;
      const range = chunkRange(meta);
      const bytes = chunkBytes(rg, leaf);
      parts.push(bytes);
      moved.set(`${rg}:${leaf}`, { delta: at - range.start, dictValid: range.dictionaryOffsetValid, start: at, length: bytes.length });
      at += bytes.length;
    }
  }
  const footerOut = writeFooter(index, footer, plan, plan.arrowSchema, (rg, leaf) => moved.get(`${rg}:${leaf}`) as Placed);
  const total = at + footerOut.length + 8;
  const out = new Uint8Array(total);
  let p = 0;
  for (const part of parts) { out.set(part, p); p += part.length; }
  out.set(footerOut, p);
  p += footerOut.length;
  new DataView(out.buffer).setUint32(p, footerOut.length, true);
  out.set(PAR1, p + 4);
  return out;
}

/**
 * The footer of a part of a file: only the given row groups and top-level columns, chunk offsets unchanged (they
 * still point into the original file), key-value metadata kept. Small enough to ship with each scan task.
 */
export function footerPart(index: FooterIndex, footer: Footer, plan: Omit<MiniFilePlan, "arrowSchema">): Uint8Array {
  return writeFooter(index, footer, plan, undefined, (rg, leaf) => {
    const r = chunkRange(footer.rowGroups[rg]?.columns[leaf] as ColumnChunkMeta);
    return { delta: 0, dictValid: r.dictionaryOffsetValid, start: r.start, length: r.length };
  });
}
