// Reading columns with the page decoder: fetch their chunks unit by unit and decode each chunk's pages into its column.
import type { Column } from "@tessera/kernels";
import type { ObjectStore } from "../../store/object-store.js";
import type { ColumnDesc } from "../columns.js";
import { forEachUnit, rowGroupUnits } from "../fetch-chunks.js";
import { UnitError } from "../read-wasm.js";
import type { Footer } from "../footer.js";
import { decodeColumnChunk, UnsupportedEncoding, type ChunkSpec } from "./column-chunk.js";
import { allocArray, type ColumnMemory } from "./column-memory.js";
import { decompressorsReady } from "./decompress.js";
import { targetFor } from "./page-columns.js";

// Compressed bytes fetched per unit: bounds the bytes held at once while the next unit is fetched.
const UNIT_BYTES = 16 << 20;

export interface PageColumn {
  readonly desc: ColumnDesc;
  /** utf8 read as a DictColumn. */
  readonly dictionary: boolean;
}

/**
 * Decodes `cols` over the row groups `rowGroups` (footer positions, `rows` rows in all) of the object at `url`.
 * Returns each column by name, its buffers in `memory`. Throws Error on malformed data (the caller names the file) and
 * UnsupportedEncoding.
 */
export async function readPages(store: ObjectStore, url: string, footer: Footer, rowGroups: readonly number[], cols: readonly PageColumn[], rows: number, memory: ColumnMemory): Promise<Map<string, Column>> {
  const leaves = cols.map((c) => c.desc.leaf);
  const codecs = new Set(rowGroups.flatMap((rg) => leaves.map((leaf) => footer.rowGroups[rg]?.columns[leaf]?.codec ?? 0)));
  await decompressorsReady(codecs);
  const specs = cols.map((c) => {
    const optional = c.desc.field?.nullable === true;
    return { physical: c.desc.physical, codec: 0, optional, target: targetFor(c.desc, rows, c.dictionary, memory), valid: optional ? allocArray(memory, Uint8Array, rows) : null };
  });
  const starts = new Map<number, number>();
  let at = 0;
  for (const rg of rowGroups) { starts.set(rg, at); at += footer.rowGroups[rg]?.numRows ?? 0; }

  const units = rowGroupUnits(footer, rowGroups, leaves, UNIT_BYTES, (c) => c.compressedSize);
  await forEachUnit(store, url, footer, units, leaves, (unit, chunks) => {
    for (const rg of unit) {
      const group = footer.rowGroups[rg];
      if (group === undefined) continue;
      cols.forEach((c, i) => {
        const meta = group.columns[c.desc.leaf];
        const bytes = chunks.get(`${rg}:${c.desc.leaf}`);
        if (meta === undefined || bytes === undefined) throw new Error(`row group ${rg} lacks column ${c.desc.name}`);
        const spec: ChunkSpec = { ...(specs[i] as ChunkSpec), codec: meta.codec };
        try {
          decodeColumnChunk(spec, bytes, starts.get(rg) as number, group.numRows);
        } catch (e) {
          if (e instanceof UnsupportedEncoding) throw e;
          throw new UnitError(unit, new Error(`column ${c.desc.name}: ${e instanceof Error ? e.message : String(e)}`));
        }
      });
    }
  });
  const out = new Map<string, Column>();
  cols.forEach((c, i) => {
    const s = specs[i] as ChunkSpec;
    const valid = s.valid !== null && s.valid.indexOf(0) >= 0 ? s.valid : null;
    out.set(c.desc.name, s.target.finish(rows, valid));
  });
  return out;
}
