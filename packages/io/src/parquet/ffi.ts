// Views of Arrow C Data Interface structs (ArrowSchema, ArrowArray) inside parquet-wasm's 32-bit memory.

/** An ArrowSchema node: `format` string per the C Data Interface spec, children and dictionary. */
export interface FfiSchema {
  readonly format: string;
  readonly name: string;
  readonly children: readonly FfiSchema[];
  readonly dictionary: FfiSchema | null;
}

/** An ArrowArray node. Buffer entries are byte addresses in wasm memory (0 for an absent buffer). */
export interface FfiArray {
  readonly length: number;
  /** -1 when the producer did not compute it. */
  readonly nullCount: number;
  /** Element offset into the buffers (not bytes). */
  readonly offset: number;
  readonly buffers: readonly number[];
  readonly children: readonly FfiArray[];
  readonly dictionary: FfiArray | null;
}

// Struct layouts on wasm32: pointers are 4 bytes, int64 fields 8-byte aligned.
// ArrowSchema: format@0 name@4 metadata@8 flags@16 n_children@24 children@32 dictionary@36 release@40 private@44
// ArrowArray: length@0 null_count@8 offset@16 n_buffers@24 n_children@32 buffers@40 children@44 dictionary@48 release@52 private@56
const latin1 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("latin1");
const utf8Decoder = new TextDecoder();
const utf8 = (b: Uint8Array): string => utf8Decoder.decode(b);
const MAX_NODES = 10_000;

function i64(dv: DataView, at: number): number {
  return Number(dv.getBigInt64(at, true));
}

function cString(mem: Uint8Array, ptr: number, decode: (b: Uint8Array) => string): string {
  if (ptr === 0) return "";
  const end = mem.indexOf(0, ptr);
  return decode(mem.subarray(ptr, end < 0 ? mem.length : end));
}

/** Reads the schema tree at `ptr`. `memory` must be the current wasm memory buffer. */
export function readFfiSchema(memory: ArrayBuffer, ptr: number): FfiSchema {
  const dv = new DataView(memory);
  const mem = new Uint8Array(memory);
  let budget = MAX_NODES;
  const node = (p: number): FfiSchema => {
    if (--budget < 0) throw new Error("ArrowSchema tree too large");
    const n = i64(dv, p + 24);
    const childPtrs = dv.getUint32(p + 32, true);
    const children: FfiSchema[] = [];
    for (let i = 0; i < n; i++) children.push(node(dv.getUint32(childPtrs + 4 * i, true)));
    const dict = dv.getUint32(p + 36, true);
    return {
      format: cString(mem, dv.getUint32(p, true), latin1),
      name: cString(mem, dv.getUint32(p + 4, true), utf8),
      children,
      dictionary: dict === 0 ? null : node(dict),
    };
  };
  return node(ptr);
}

/** Reads the array tree at `ptr`. `memory` must be the current wasm memory buffer. */
export function readFfiArray(memory: ArrayBuffer, ptr: number): FfiArray {
  const dv = new DataView(memory);
  let budget = MAX_NODES;
  const node = (p: number): FfiArray => {
    if (--budget < 0) throw new Error("ArrowArray tree too large");
    const nBuffers = i64(dv, p + 24), nChildren = i64(dv, p + 32);
    const bufPtrs = dv.getUint32(p + 40, true), childPtrs = dv.getUint32(p + 44, true);
    const buffers: number[] = [];
    for (let i = 0; i < nBuffers; i++) buffers.push(dv.getUint32(bufPtrs + 4 * i, true));
    const children: FfiArray[] = [];
    for (let i = 0; i < nChildren; i++) children.push(node(dv.getUint32(childPtrs + 4 * i, true)));
    const dict = dv.getUint32(p + 48, true);
    return {
      length: i64(dv, p),
      nullCount: i64(dv, p + 8),
      offset: i64(dv, p + 16),
      buffers,
      children,
      dictionary: dict === 0 ? null : node(dict),
    };
  };
  return node(ptr);
}
