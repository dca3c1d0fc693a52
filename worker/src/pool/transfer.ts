// Prepares a thread's result for postMessage: finds the ArrayBuffers to transfer (move) instead of copying.

export interface Prepared {
  readonly value: unknown;
  readonly transfer: ArrayBuffer[];
}

const TYPED_ARRAYS: Record<string, new (buffer: ArrayBuffer) => ArrayBufferView> = {
  "[object Int8Array]": Int8Array, "[object Uint8Array]": Uint8Array, "[object Uint8ClampedArray]": Uint8ClampedArray,
  "[object Int16Array]": Int16Array, "[object Uint16Array]": Uint16Array, "[object Int32Array]": Int32Array,
  "[object Uint32Array]": Uint32Array, "[object Float32Array]": Float32Array, "[object Float64Array]": Float64Array,
  "[object BigInt64Array]": BigInt64Array, "[object BigUint64Array]": BigUint64Array, "[object DataView]": DataView,
};

function isPlain(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null || Array.isArray(v);
}

/**
 * Walks plain objects and arrays (Batches, raster chunks, lists of them) for typed arrays and ArrayBuffers.
 * - SharedArrayBuffers are skipped: they are shared, never copied or moved.
 * - A buffer is moved whole when the value's views cover at least half of it (the usual case: kernels allocate
 *   exact-size arrays, or an IPC body holds many columns). Views sharing one buffer are fine: it moves once and
 *   structured clone rebuilds every view over it.
 * - A buffer the views cover sparsely (a slice of Node's Buffer pool, of WebAssembly memory, of a big arena)
 *   is not moved: each view is copied to an exact-size buffer, which is moved. Moving the original would copy
 *   or detach memory that other code in the thread still uses.
 * Maps, Sets and class instances are left to structured clone (copied).
 */
export function prepareTransfer(value: unknown): Prepared {
  const views = new Map<ArrayBuffer, ArrayBufferView[]>();
  const whole = new Set<ArrayBuffer>();
  collect(value, views, whole, new Set());
  const transfer: ArrayBuffer[] = [...whole];
  const compact = new Set<ArrayBuffer>();
  for (const [buffer, vs] of views) {
    if (whole.has(buffer)) continue;
    if (2 * covered(vs) >= buffer.byteLength) transfer.push(buffer);
    else compact.add(buffer);
  }
  if (compact.size === 0) return { value, transfer };
  const copies = new Map<ArrayBufferView, ArrayBufferView>();
  const rewritten = rewrite(value, compact, copies, new Map());
  for (const c of copies.values()) transfer.push(c.buffer as ArrayBuffer);
  return { value: rewritten, transfer };
}

function collect(v: unknown, views: Map<ArrayBuffer, ArrayBufferView[]>, whole: Set<ArrayBuffer>, seen: Set<object>): void {
  if (typeof v !== "object" || v === null) return;
  if (ArrayBuffer.isView(v)) {
    const b = v.buffer;
    if (!(b instanceof ArrayBuffer) || b.byteLength === 0) return;
    const list = views.get(b);
    if (list === undefined) views.set(b, [v]);
    else list.push(v);
    return;
  }
  if (v instanceof ArrayBuffer) {
    if (v.byteLength > 0) whole.add(v);
    return;
  }
  if (seen.has(v) || !isPlain(v)) return;
  seen.add(v);
  if (Array.isArray(v)) for (const x of v) collect(x, views, whole, seen);
  else for (const k of Object.keys(v)) collect((v as Record<string, unknown>)[k], views, whole, seen);
}

/** Bytes of the buffer covered by the union of the views' windows. */
function covered(vs: readonly ArrayBufferView[]): number {
  const spans = vs.map((v) => [v.byteOffset, v.byteOffset + v.byteLength] as const).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -1;
  for (const [s, e] of spans) {
    if (e <= end) continue;
    total += e - Math.max(s, end);
    end = e;
  }
  return total;
}

function copyView(v: ArrayBufferView): ArrayBufferView {
  const bytes = new Uint8Array(v.byteLength);
  bytes.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  const Ctor = TYPED_ARRAYS[Object.prototype.toString.call(v)] ?? Uint8Array;
  return new Ctor(bytes.buffer);
}

/** Copy-on-write: objects on the path to a compacted view are shallow-copied; everything else is shared. */
function rewrite(v: unknown, compact: Set<ArrayBuffer>, copies: Map<ArrayBufferView, ArrayBufferView>, done: Map<object, unknown>): unknown {
  if (typeof v !== "object" || v === null) return v;
  if (ArrayBuffer.isView(v)) {
    if (!(v.buffer instanceof ArrayBuffer) || !compact.has(v.buffer)) return v;
    let c = copies.get(v);
    if (c === undefined) {
      c = copyView(v);
      copies.set(v, c);
    }
    return c;
  }
  if (v instanceof ArrayBuffer || !isPlain(v)) return v;
  if (done.has(v)) return done.get(v);
  done.set(v, v);
  let out: unknown = v;
  if (Array.isArray(v)) {
    const mapped = v.map((x) => rewrite(x, compact, copies, done));
    if (mapped.some((x, i) => x !== v[i])) out = mapped;
  } else {
    const o = v as Record<string, unknown>;
    let copy: Record<string, unknown> | null = null;
    for (const k of Object.keys(o)) {
      const x = rewrite(o[k], compact, copies, done);
      if (x !== o[k]) {
        copy ??= { ...o };
        copy[k] = x;
      }
    }
    if (copy !== null) out = copy;
  }
  done.set(v, out);
  return out;
}
