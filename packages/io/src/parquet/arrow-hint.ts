// The ARROW:schema entry written into mini files: it tells parquet-wasm which columns to decode as dictionaries.
import type { Field } from "@tessera/common";
import { arrowTypeOf } from "@tessera/kernels";
import * as arrow from "apache-arrow";

const DICT_UTF8 = (): arrow.Dictionary => new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32());

/**
 * Base64 of an IPC schema message for `kept` (the mini file's columns, in file order: parquet-wasm matches
 * hint fields by position). Fields come from the writer's own Arrow schema when it has one, else from
 * `kept`'s types; utf8 columns named in `dictionary` become Dictionary<Int32, Utf8>, and the writer's
 * dictionaries of non-strings become their value type. Null when there is
 * nothing to say (no writer schema and no dictionary request), so the mini file carries no hint.
 */
export function hintFor(original: arrow.Schema | null, kept: readonly Field[], dictionary: ReadonlySet<string>): string | null {
  if (original === null && !kept.some((f) => dictionary.has(f.name))) return null;
  const byName = new Map((original?.fields ?? []).map((f) => [f.name, f]));
  const fields = kept.map((f) => {
    if (dictionary.has(f.name) && f.type === "utf8") return new arrow.Field(f.name, DICT_UTF8(), f.nullable);
    const h = byName.get(f.name);
    if (h === undefined) return new arrow.Field(f.name, arrowTypeOf(f.type), f.nullable);
    // Only string dictionaries stay dictionaries (a DictColumn holds strings); others are decoded plain.
    if (arrow.DataType.isDictionary(h.type) && f.type !== "utf8") return new arrow.Field(f.name, h.type.dictionary, h.nullable);
    return h;
  });
  const ipc = arrow.tableToIPC(new arrow.Table(new arrow.Schema(fields)), "stream");
  // The stream starts with the schema message: 0xFFFFFFFF, its length, the flatbuffer (no body).
  const dv = new DataView(ipc.buffer, ipc.byteOffset, ipc.byteLength);
  const len = dv.getInt32(4, true);
  return Buffer.from(ipc.buffer, ipc.byteOffset, 8 + len).toString("base64");
}
