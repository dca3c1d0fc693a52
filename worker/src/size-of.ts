// Byte accounting for stored values: exact for buffers (and so for Batches and raster chunks), a rough estimate for
// everything else.
import { isRasterChunk } from "@tessera/raster";

/** Elements sampled when estimating a long array of non-buffer values. */
const SAMPLE = 64;

/**
 * The bytes a value keeps alive. Each distinct ArrayBuffer (or SharedArrayBuffer) reachable through plain
 * objects and arrays counts once, in full: a small view of a large buffer keeps all of it alive. For a Batch or a
 * raster chunk this is exactly the sum of its buffers' byteLengths; other values add a rough per-value estimate
 * (8 bytes per number or reference, 2 per string character), long arrays of such values by sampling.
 */
export function sizeOf(value: unknown): number {
  if (value === null || value === undefined) return 0;
  const buffers = new Set<ArrayBufferLike>();
  const seen = new Set<object>();
  const other = estimate(value, buffers, seen, isBatchLike(value) || isRasterChunk(value));
  let bytes = 0;
  for (const b of buffers) bytes += b.byteLength;
  return bytes + other;
}

/** A Batch is accounted by its buffers only: its field list is metadata (so is a raster chunk's grid). */
function isBatchLike(v: unknown): boolean {
  if (typeof v !== "object" || v === null) return false;
  const o = v as Record<string, unknown>;
  return Array.isArray(o["fields"]) && Array.isArray(o["columns"]) && typeof o["length"] === "number";
}

function estimate(v: unknown, buffers: Set<ArrayBufferLike>, seen: Set<object>, buffersOnly: boolean): number {
  switch (typeof v) {
    case "number":
    case "boolean":
      return buffersOnly ? 0 : 8;
    case "bigint":
      return buffersOnly ? 0 : 16;
    case "string":
      return buffersOnly ? 0 : 16 + 2 * v.length;
    case "object":
      break;
    default:
      return 0;
  }
  if (v === null) return 0;
  if (ArrayBuffer.isView(v)) {
    buffers.add(v.buffer);
    return 0;
  }
  if (v instanceof ArrayBuffer || (typeof SharedArrayBuffer !== "undefined" && v instanceof SharedArrayBuffer)) {
    buffers.add(v);
    return 0;
  }
  if (seen.has(v)) return 0;
  seen.add(v);
  const overhead = buffersOnly ? 0 : 16;
  if (Array.isArray(v)) return overhead + arrayEstimate(v, buffers, seen, buffersOnly);
  if (v instanceof Map) {
    let n = overhead;
    for (const [k, x] of v) n += estimate(k, buffers, seen, buffersOnly) + estimate(x, buffers, seen, buffersOnly);
    return n;
  }
  if (v instanceof Set) return overhead + arrayEstimate([...v], buffers, seen, buffersOnly);
  let n = overhead;
  for (const k of Object.keys(v)) {
    n += (buffersOnly ? 0 : 8) + estimate((v as Record<string, unknown>)[k], buffers, seen, buffersOnly);
  }
  return n;
}

function arrayEstimate(a: readonly unknown[], buffers: Set<ArrayBufferLike>, seen: Set<object>, buffersOnly: boolean): number {
  // Arrays of objects may hold buffers (a list of Batches): walk them all. Arrays of primitives: sample.
  if (a.length <= SAMPLE || a.some((x, i) => i < SAMPLE && typeof x === "object" && x !== null)) {
    let n = 0;
    for (const x of a) n += estimate(x, buffers, seen, buffersOnly);
    return n;
  }
  let sampled = 0;
  for (let i = 0; i < SAMPLE; i++) sampled += estimate(a[Math.floor((i * a.length) / SAMPLE)], buffers, seen, buffersOnly);
  return Math.round((sampled / SAMPLE) * a.length);
}
