// Dictionary sizes of column chunks, read from their dictionary page headers alone: a planner's distinct-value sample.
import { storeFor } from "../store/registry.js";
import { describeColumns } from "./columns.js";
import { decodeFooter } from "./footer.js";
import { readFooter } from "./metadata.js";
import { chunkRange } from "./mini-file.js";
import { PageType, readPageHeader } from "./pages/page-header.js";

/** Bytes read at a chunk's start: a dictionary page header is a few dozen bytes (more only with a CRC or long varints). */
const HEADER_BYTES = 64;

/** What one row group's dictionary says of a column: `entries` distinct values were written for its `rows` rows. */
export interface DictionarySize {
  readonly rows: number;
  readonly entries: number;
}

/**
 * For each named column of the Parquet file (its raw footer given when at hand, else read), the number of entries in the dictionary page of its chunk in row group `rowGroup`, with the
 * row group's row count; a column whose chunk starts with no dictionary page (plain encoded) is left out. One ranged
 * read of HEADER_BYTES per column, no page bodies. A writer's dictionary holds each distinct value of the row group
 * once, so `entries` is the row group's distinct count (writers that fall back to plain pages when the dictionary
 * grows too large write a partial dictionary: then it is a lower bound).
 */
export async function readDictionarySizes(
  file: { readonly url: string; readonly footer?: { readonly bytes: Uint8Array } }, columns: readonly string[], rowGroup = 0,
): Promise<Record<string, DictionarySize>> {
  const read = file.footer === undefined ? await readFooter(file.url) : { url: file.url, footer: decodeFooter(file.footer.bytes) };
  const rg = read.footer.rowGroups[rowGroup];
  if (rg === undefined || columns.length === 0) return {};
  const leaves = new Map(describeColumns(read.footer).filter((c) => c.field !== null).map((c) => [c.name, c.leaf]));
  const store = storeFor(read.url);
  const out: Record<string, DictionarySize> = {};
  await Promise.all(columns.map(async (name) => {
    const leaf = leaves.get(name);
    const chunk = leaf === undefined ? undefined : rg.columns[leaf];
    if (chunk === undefined) return;
    const { start, length } = chunkRange(chunk);
    const bytes = await store.get(read.url, { offset: start, length: Math.min(HEADER_BYTES, length) });
    let header;
    try {
      header = readPageHeader(bytes, 0, false);
    } catch {
      return;  // a header this sample cannot parse gives no estimate; reading the chunk names the fault
    }
    if (header.type === PageType.DICTIONARY_PAGE && header.numValues >= 0) out[name] = { rows: rg.numRows, entries: header.numValues };
  }));
  return out;
}
