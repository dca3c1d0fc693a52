// Scratch buffers: reused smallest-first, bounded in number and bytes.
import { describe, expect, it } from "vitest";
import { dropPageBuffers, giveBuffer, takeBuffer } from "../src/parquet/pages/scratch-buffers.js";

describe("scratch buffers", () => {
  it("hands back the smallest given buffer that fits, and a new one when none does", () => {
    const small = new ArrayBuffer(1000), mid = new ArrayBuffer(5000), big = new ArrayBuffer(50_000);
    giveBuffer(big);
    giveBuffer(small);
    giveBuffer(mid);
    expect(takeBuffer(2000)).toBe(mid);
    expect(takeBuffer(10)).toBe(small);
    const fresh = takeBuffer(60_000);
    expect([fresh.byteLength, fresh === big]).toEqual([60_000, false]);
    expect(takeBuffer(40_000)).toBe(big);
    expect(takeBuffer(10).byteLength).toBe(10);  // nothing left waiting
  });

  it("keeps at most 8 buffers and 64 MiB waiting, dropping the smallest", () => {
    const given = Array.from({ length: 10 }, (_, i) => new ArrayBuffer(1024 * (i + 1)));
    for (const b of given) giveBuffer(b);
    const taken = Array.from({ length: 8 }, () => takeBuffer(1));
    expect(new Set(taken).size).toBe(8);
    expect(taken.every((b) => given.slice(2).includes(b))).toBe(true);
    expect(takeBuffer(1).byteLength).toBe(1);
    const huge = Array.from({ length: 3 }, () => new ArrayBuffer(30 << 20));
    for (const b of huge) giveBuffer(b);
    const kept = [takeBuffer(1), takeBuffer(1)];
    expect(kept[0]).not.toBe(kept[1]);
    expect(kept.every((b) => huge.includes(b))).toBe(true);
    expect(takeBuffer(1).byteLength).toBe(1);
  });

  it("lets every waiting buffer go when dropped (an idle pool thread does), then hands out new ones", () => {
    const given = [new ArrayBuffer(4096), new ArrayBuffer(1 << 20)];
    for (const b of given) giveBuffer(b);
    dropPageBuffers();
    const next = takeBuffer(100);
    expect(next.byteLength).toBe(100);
    expect(given.includes(next)).toBe(false);
    giveBuffer(next);
    expect(takeBuffer(10)).toBe(next);  // reuse goes on after a drop
  });
});
