// A column's dictionary pages while their values are few: kept canonical as the pages arrive, so rows are decoded
// straight to canonical indices.
import { canonicalDictionary, SMALL_DICTIONARY, type StrColumn } from "@tessera/kernels";
import { BytesInterner } from "../bytes-interner.js";
import { byteArrays } from "./value-targets.js";

/** How many times rows already decoded may be renumbered because a later page brought new values. */
export const MAX_ROW_REMAPS = 1;

/** What a page did to the canonical values (see SmallDictionary.addPage). */
export type PageOutcome =
  /** Its values are all known (or no row was decoded yet): the canonical indices of decoded rows stand. */
  | { readonly kind: "kept" }
  /** It brought values that come between known ones: decoded rows' index i becomes remap[i]. */
  | { readonly kind: "renumbered"; readonly remap: Int32Array }
  /** Too many values, or too many renumberings: the canonical values are left as they were before this page. */
  | { readonly kind: "overflow" };

const KEPT: PageOutcome = { kind: "kept" };
const OVERFLOW: PageOutcome = { kind: "overflow" };

/**
 * The distinct values of a column's dictionary pages, each once in byte order (as canonicalDictionary orders them),
 * while there are at most SMALL_DICTIONARY of them. A low-cardinality column's row groups usually repeat one set of
 * values, each page in its own order: the first page sets the canonical order, later pages only look their values up
 * (a few hundred hash probes), and no pass over the rows renumbers them at the end.
 */
export class SmallDictionary {
  private readonly interner = new BytesInterner();
  /** Canonical index of each interned value (interned in first-seen order). */
  private rank: Int32Array = new Int32Array(0);
  /** The canonical values (size: the interned values the ranks cover). */
  values: StrColumn = { kind: "str", type: "utf8", length: 0, offsets: new Int32Array(1), bytes: new Uint8Array(0), valid: null };
  private remaps = 0;
  private starts = new Int32Array(256);
  private lens = new Int32Array(256);
  private ids = new Int32Array(256);

  /**
   * Takes a dictionary page of `count` PLAIN values in buf[pos, end). Unless the outcome is "overflow", table[k] is
   * then the canonical index of the page's entry k. `rowsDecoded`: whether rows were decoded against earlier pages
   * (their renumbering is what MAX_ROW_REMAPS bounds).
   */
  addPage(buf: Uint8Array, pos: number, end: number, count: number, table: Int32Array, rowsDecoded: boolean): PageOutcome {
    if (count > SMALL_DICTIONARY) return OVERFLOW;
    if (this.ids.length < count) {
      this.starts = new Int32Array(count);
      this.lens = new Int32Array(count);
      this.ids = new Int32Array(count);
    }
    const ids = this.ids;
    byteArrays(buf, pos, end, count, this.starts, this.lens);
    const known = this.values.length;
    this.interner.internAll(buf, this.starts, this.lens, count, ids);
    let outcome = KEPT;
    if (this.interner.size > known) {
      if (this.interner.size > SMALL_DICTIONARY || (rowsDecoded && this.remaps >= MAX_ROW_REMAPS)) return OVERFLOW;
      const c = canonicalDictionary(this.interner.finish());
      if (rowsDecoded) {
        // Interned ids below `known` are the values decoded rows may hold, by their old canonical index.
        const remap = new Int32Array(known);
        for (let id = 0; id < known; id++) remap[this.rank[id] as number] = c.remap[id] as number;
        outcome = { kind: "renumbered", remap };
        this.remaps++;
      }
      this.rank = c.remap;
      this.values = c.dict;
    }
    const rank = this.rank;
    for (let k = 0; k < count; k++) table[k] = rank[ids[k] as number] as number;
    return outcome;
  }
}
