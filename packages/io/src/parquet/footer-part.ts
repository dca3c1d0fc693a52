// Footer parts: the footer trimmed to some row groups and columns, so a planner can ship each task what it reads.
import { IoError } from "@tessera/common";
import { describeColumns, type ColumnDesc } from "./columns.js";
import { decodeFooter, type Footer } from "./footer.js";
import { footerPart, indexFooter, type FooterIndex } from "./mini-file.js";
import type { ParquetFooterPart } from "./read.js";

interface Decoded { readonly footer: Footer; readonly index: FooterIndex; readonly columns: ReadonlyMap<string, ColumnDesc> }

// Each footer is decoded once however many parts are cut from it (a scan cuts one per task).
const decoded = new WeakMap<Uint8Array, Decoded>();

function decode(bytes: Uint8Array): Decoded {
  let d = decoded.get(bytes);
  if (d === undefined) {
    const footer = decodeFooter(bytes);
    d = { footer, index: indexFooter(bytes), columns: new Map(describeColumns(footer).map((c) => [c.name, c])) };
    decoded.set(bytes, d);
  }
  return d;
}

/**
 * The part of a file's footer (`footer`: its raw Thrift bytes, see parquetFooterBytes) that a read of `columns` in
 * `rowGroups` needs; readParquet({ footer: part }) then reads no footer. Chunk offsets still point into the file,
 * whose `size` the part carries so that a reader checks them as it checks a whole footer's.
 */
export function parquetFooterPart(footer: Uint8Array, size: number, rowGroups: readonly number[], columns: readonly string[]): ParquetFooterPart {
  const d = decode(footer);
  const groups = [...new Set(rowGroups)].sort((a, b) => a - b);
  for (const rg of groups) {
    if (d.footer.rowGroups[rg] === undefined) throw new IoError("IO_BAD_ROW_GROUP", `footer has no row group ${rg}; it has ${d.footer.rowGroups.length}`);
  }
  const kept = columns.map((name) => {
    const c = d.columns.get(name);
    if (c === undefined) throw new IoError("IO_BAD_COLUMN", `footer has no column ${name}`);
    return c;
  }).sort((a, b) => a.leaf - b.leaf);
  if (kept.some((c) => c.field === null)) throw new IoError("IO_UNSUPPORTED_TYPE", `footer part asked for a column this reader cannot decode`);
  const bytes = footerPart(d.index, d.footer, { elements: kept.map((c) => c.element), leaves: kept.map((c) => c.leaf), rowGroups: groups });
  return { rowGroups: groups, bytes, size };
}
