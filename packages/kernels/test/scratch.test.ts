// Scratch memory of pool threads: lent during a batch, taken back when the next starts, let go when idle.
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  SCRATCH_KEEP_BYTES, SCRATCH_MIN_BYTES, dropScratch, enableScratch, idleScratch, reclaimScratch, scratchArray, scratchFreeBytes,
} from "../src/scratch.js";

afterEach(() => {
  enableScratch(false);
  vi.useRealTimers();
});

describe("scratch arrays", () => {
  it("are ordinary exact-size arrays where scratch is not enabled, and below the minimum size", () => {
    const a = scratchArray(Float64Array, SCRATCH_MIN_BYTES, false);
    expect(a.buffer.byteLength).toBe(8 * SCRATCH_MIN_BYTES);
    enableScratch();
    const small = scratchArray(Int32Array, 100, false);
    expect(small.buffer.byteLength).toBe(400);
    expect(Array.from(small)).toEqual(new Array(100).fill(0));
  });

  it("reuse a buffer from the previous batch, zeroed when asked, never one that was moved away", () => {
    enableScratch();
    const n = SCRATCH_MIN_BYTES; // Int32: 4 × the minimum
    const a = scratchArray(Int32Array, n, false);
    a.fill(7);
    const b = scratchArray(Int32Array, n, false);
    // Within a batch nothing is reused.
    expect(b.buffer).not.toBe(a.buffer);
    // The batch's result moved b's buffer to another thread: it is detached, and must not come back.
    structuredClone(b, { transfer: [b.buffer as ArrayBuffer] });
    expect(b.buffer.byteLength).toBe(0);
    reclaimScratch();
    expect(scratchFreeBytes()).toBe(a.buffer.byteLength);
    const c = scratchArray(Int32Array, n - 3, true);
    expect(c.buffer).toBe(a.buffer);
    expect(c.length).toBe(n - 3);
    expect(c.every((x) => x === 0)).toBe(true);
    // The free list is empty again: the next request gets a new buffer.
    const d = scratchArray(Int32Array, n, false);
    expect(d.buffer).not.toBe(a.buffer);
    expect(scratchFreeBytes()).toBe(0);
  });

  it("serve requests up to a fifth smaller than a buffer from it, in size classes", () => {
    enableScratch();
    const bytes = 5 * SCRATCH_MIN_BYTES;
    const a = scratchArray(Uint8Array, bytes, false);
    expect(a.buffer.byteLength).toBeGreaterThanOrEqual(bytes);
    expect(a.buffer.byteLength).toBeLessThanOrEqual(1.25 * bytes);
    reclaimScratch();
    const b = scratchArray(Uint8Array, a.buffer.byteLength - 1, false);
    expect(b.buffer).toBe(a.buffer);
    reclaimScratch();
    const c = scratchArray(Uint8Array, Math.floor(a.buffer.byteLength / 2), false);
    expect(c.buffer).not.toBe(a.buffer);
  });

  it("keep at most SCRATCH_KEEP_BYTES after a batch, and let everything go when idle", () => {
    vi.useFakeTimers();
    enableScratch();
    reclaimScratch();
    const each = SCRATCH_KEEP_BYTES / 4;
    const arrays = Array.from({ length: 6 }, () => scratchArray(Uint8Array, each, false));
    // Lent and free together stay within the limit: past it, arrays are ordinary, exact-size allocations.
    expect(arrays.slice(0, 4).every((a) => a.buffer.byteLength === each)).toBe(true);
    expect(arrays.slice(4).every((a) => a.buffer.byteLength === each && !arrays.slice(0, 4).some((b) => b.buffer === a.buffer))).toBe(true);
    idleScratch();
    // The buffers come back once the batch's results are posted (the next turn of the event loop).
    expect(scratchFreeBytes()).toBe(0);
    vi.advanceTimersToNextTimer();
    expect(scratchFreeBytes()).toBe(SCRATCH_KEEP_BYTES);
    const dropped = vi.fn();
    scratchArray(Uint8Array, each, false);
    idleScratch(dropped);
    vi.advanceTimersToNextTimer();
    expect(scratchFreeBytes()).toBeGreaterThan(0);
    expect(dropped).not.toHaveBeenCalled();
    vi.runAllTimers();
    expect(scratchFreeBytes()).toBe(0);
    expect(dropped).toHaveBeenCalledTimes(1);
    // An idle spell with nothing to let go calls nothing.
    idleScratch(dropped);
    vi.runAllTimers();
    expect(dropped).toHaveBeenCalledTimes(1);
  });

  it("lend nothing twice when the next batch starts before the last one's buffers come back", () => {
    vi.useFakeTimers();
    enableScratch();
    reclaimScratch();
    const a = scratchArray(Int32Array, SCRATCH_MIN_BYTES, false);
    idleScratch();
    // The next batch starts at once: it takes a's buffer back itself, and lends it once.
    reclaimScratch();
    const b = scratchArray(Int32Array, SCRATCH_MIN_BYTES, false);
    expect(b.buffer).toBe(a.buffer);
    // The previous batch's deferred take-back runs during this batch: b's buffer must stay lent.
    vi.runAllTimers();
    const c = scratchArray(Int32Array, SCRATCH_MIN_BYTES, false);
    expect(c.buffer).not.toBe(b.buffer);
    expect(scratchFreeBytes()).toBe(0);
  });
});
