// Moves a thread's result into shared memory, so later tasks in any thread read it without a copy.

/** Results smaller than this stay in ordinary buffers (moved to the main thread): sharing them would cost more than copying. */
export const SHARE_MIN_BYTES = 1 << 16;

let sharing = false;

/** Marks this thread as one whose results go to shared memory (the pool thread's entry does, once). */
export function shareResultsOfThisThread(): void {
  sharing = true;
}

/**
 * Whether this thread's results go to shared memory: an op that allocates its result's large buffers (a Parquet read)
 * makes them SharedArrayBuffers directly, which shareLarge then leaves as they are, instead of copying them there.
 */
export function resultsShared(): boolean {
  return sharing;
}

type ViewCtor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => ArrayBufferView;

const CTORS: Record<string, ViewCtor> = {
  "[object Int8Array]": Int8Array, "[object Uint8Array]": Uint8Array, "[object Uint8ClampedArray]": Uint8ClampedArray,
  "[object Int16Array]": Int16Array, "[object Uint16Array]": Uint16Array, "[object Int32Array]": Int32Array,
  "[object Uint32Array]": Uint32Array, "[object Float32Array]": Float32Array, "[object Float64Array]": Float64Array,
  "[object BigInt64Array]": BigInt64Array, "[object BigUint64Array]": BigUint64Array,
};

function isPlain(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null || Array.isArray(v);
}

function elements(v: ArrayBufferView): number {
  return v.byteLength / ((v as unknown as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1);
}

/** Typed-array views over ordinary ArrayBuffers reachable through plain objects and arrays, grouped by buffer. */
function collect(v: unknown, views: Map<ArrayBuffer, ArrayBufferView[]>, seen: Set<object>): void {
  if (typeof v !== "object" || v === null) return;
  if (ArrayBuffer.isView(v)) {
    const b = v.buffer;
    if (!(b instanceof ArrayBuffer) || v.byteLength === 0 || CTORS[Object.prototype.toString.call(v)] === undefined) return;
    const list = views.get(b);
    if (list === undefined) views.set(b, [v]);
    else list.push(v);
    return;
  }
  if (seen.has(v) || !isPlain(v)) return;
  seen.add(v);
  if (Array.isArray(v)) for (const x of v) collect(x, views, seen);
  else for (const k of Object.keys(v)) collect((v as Record<string, unknown>)[k], views, seen);
}

/**
 * The same value with its typed arrays copied into SharedArrayBuffers (one per source buffer the views cover at
 * least half of, keeping views that share a buffer sharing one; otherwise one per view), once it holds at least
 * SHARE_MIN_BYTES. A result stored by the worker and read by tasks in other threads is then never copied again:
 * structured clone passes shared memory by reference. Plain objects on the path are shallow-copied; class
 * instances, Maps and Sets are left as they are.
 */
export function shareLarge(value: unknown): unknown {
  const views = new Map<ArrayBuffer, ArrayBufferView[]>();
  collect(value, views, new Set());
  let bytes = 0;
  for (const vs of views.values()) for (const v of vs) bytes += v.byteLength;
  if (bytes < SHARE_MIN_BYTES) return value;
  const copies = new Map<ArrayBufferView, ArrayBufferView>();
  for (const [buffer, vs] of views) {
    let lo = Infinity;
    let hi = 0;
    let covered = 0;
    for (const v of vs) { lo = Math.min(lo, v.byteOffset); hi = Math.max(hi, v.byteOffset + v.byteLength); covered += v.byteLength; }
    if (2 * covered >= buffer.byteLength || 2 * covered >= hi - lo) {
      // One shared copy of the span the views use; each view keeps its offset within it.
      const shared = new SharedArrayBuffer(hi - lo);
      new Uint8Array(shared).set(new Uint8Array(buffer, lo, hi - lo));
      for (const v of vs) {
        const Ctor = CTORS[Object.prototype.toString.call(v)] as ViewCtor;
        copies.set(v, new Ctor(shared, v.byteOffset - lo, elements(v)));
      }
    } else {
      for (const v of vs) {
        const shared = new SharedArrayBuffer(v.byteLength);
        new Uint8Array(shared).set(new Uint8Array(buffer, v.byteOffset, v.byteLength));
        const Ctor = CTORS[Object.prototype.toString.call(v)] as ViewCtor;
        copies.set(v, new Ctor(shared, 0, elements(v)));
      }
    }
  }
  return rewrite(value, copies, new Map());
}

function rewrite(v: unknown, copies: Map<ArrayBufferView, ArrayBufferView>, done: Map<object, unknown>): unknown {
  if (typeof v !== "object" || v === null) return v;
  if (ArrayBuffer.isView(v)) return copies.get(v) ?? v;
  if (!isPlain(v)) return v;
  const prior = done.get(v);
  if (prior !== undefined) return prior;
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    done.set(v, out);
    for (const x of v) out.push(rewrite(x, copies, done));
    return out;
  }
  const out: Record<string, unknown> = {};
  done.set(v, out);
  for (const k of Object.keys(v)) out[k] = rewrite((v as Record<string, unknown>)[k], copies, done);
  return out;
}
