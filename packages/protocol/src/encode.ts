// Encoding of outgoing control data with msgpackr (plain msgpack only: no records, no structured clone).
import { Packr } from "msgpackr";

/** One packer for the process: records off and typed arrays as ext 0x74, so every peer (and the strict decoder) reads standard msgpack. */
const packr = new Packr({ useRecords: false, structuredClone: false, variableMapSize: true, moreTypes: true });

/** Encodes a plain value (objects, arrays, numbers, strings, Uint8Array, typed arrays, undefined) to msgpack. */
export function encodePlain(value: unknown): Uint8Array {
  return packr.pack(value);
}
