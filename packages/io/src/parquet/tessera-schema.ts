// The writer's own field types, kept in the footer for what neither Parquet nor parquet-wasm's Arrow hint can say.
import type { DType } from "@tessera/common";

/** Footer key-value entry holding `[{ name, type }]` as JSON, written by writeParquet. */
export const TESSERA_SCHEMA_KEY = "tessera:schema";

/** Field types the writer recorded, by column name; empty when absent or unreadable. */
export function tesseraTypes(keyValue: ReadonlyMap<string, string>): Map<string, DType> {
  const json = keyValue.get(TESSERA_SCHEMA_KEY);
  const out = new Map<string, DType>();
  if (json === undefined) return out;
  try {
    const parsed: unknown = JSON.parse(json);
    if (!Array.isArray(parsed)) return out;
    for (const f of parsed as { name?: unknown; type?: unknown }[]) {
      if (typeof f.name === "string" && typeof f.type === "string") out.set(f.name, f.type as DType);
    }
  } catch {
    // Foreign or damaged metadata is ignored: the Parquet schema still describes the file.
  }
  return out;
}
