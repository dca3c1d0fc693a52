// The dictionary target: row groups' dictionary pages appended without hashing, PLAIN values interned once each.
import { describe, expect, it } from "vitest";
import { columnToArray, type DictColumn } from "@tessera/kernels";
import { DictTarget } from "../src/parquet/pages/dict-target.js";

const enc = new TextEncoder();

/** PLAIN BYTE_ARRAY values: a 4-byte little-endian length before each value's bytes. */
function plain(values: readonly string[]): Uint8Array {
  const parts = values.map((v) => enc.encode(v));
  const out = new Uint8Array(parts.reduce((n, p) => n + 4 + p.length, 0));
  let at = 0;
  for (const p of parts) {
    new DataView(out.buffer).setUint32(at, p.length, true);
    out.set(p, at + 4);
    at += 4 + p.length;
  }
  return out;
}

/** Dictionary indices as one bit-packed run of the hybrid encoding (groups of 8, `width` bits each). */
function packed(indices: readonly number[], width: number): Uint8Array {
  const groups = Math.ceil(indices.length / 8);
  const body = new Uint8Array(groups * width);
  indices.forEach((v, i) => {
    for (let b = 0; b < width; b++) if ((v >> b) & 1) body[(i * width + b) >> 3] = (body[(i * width + b) >> 3] as number) | (1 << ((i * width + b) & 7));
  });
  return Uint8Array.from([(groups << 1) | 1, ...body]);
}

describe("DictTarget", () => {
  it("appends dictionary pages and the PLAIN pages after them; PLAIN values met before any are interned, last", () => {
    // Dictionaries past SMALL_DICTIONARY entries in all: kept as built (small ones are made canonical, below).
    const names = (from: number, n: number): string[] => Array.from({ length: n }, (_, k) => `v${from + k}`);
    const g0 = names(0, 2500), g1 = names(2000, 2500);  // v2000..v2499 in both row groups' dictionaries
    const rows = 10;
    const t = new DictTarget(rows, "ordinary");
    // Row group 0: PLAIN only (no dictionary page yet): each distinct value interned once.
    const p0 = plain(["zz", "v0", "zz"]);
    t.plain(p0, 0, p0.length, 3, 3, null, 0);
    // Row group 1: its dictionary page, rows v1, v0 by index.
    const d0 = plain(g0);
    t.dictionary(d0, 0, d0.length, g0.length);
    const r0 = packed([1, 0], 1);
    expect(t.lookup(r0, 0, r0.length, 1, 2, 3)).toBe(true);
    // Row group 2: its dictionary page (v2000.. again: appended, not merged), rows v2001, v2000, then a PLAIN page (the
    // dictionary overflowed) whose values are appended as they come, with a null row.
    const d1 = plain(g1);
    t.dictionary(d1, 0, d1.length, g1.length);
    t.indices(Int32Array.of(1, 0), 2, 2, null, 5);
    const p1 = plain(["y", "v0"]);
    t.plain(p1, 0, p1.length, 3, 2, Uint8Array.of(1, 0, 1), 7);
    const c = t.finish(rows, Uint8Array.from([1, 1, 1, 1, 1, 1, 1, 1, 0, 1])) as DictColumn;
    expect(c.kind).toBe("dict");
    expect(columnToArray(c.dict)).toEqual([...g0, ...g1, "y", "v0", "zz", "v0"]);
    expect(Array.from(c.indices)).toEqual([5002, 5003, 5002, 1, 0, 2501, 2500, 5000, 0, 5001]);
    expect(columnToArray(c)).toEqual(["zz", "v0", "zz", "v1", "v0", "v2001", "v2000", "y", null, "v0"]);
  });

  it("makes a small dictionary canonical: each value once, in byte order, whatever the pages held", () => {
    const t = new DictTarget(7, "ordinary");
    const d0 = plain(["b", "a"]);
    t.dictionary(d0, 0, d0.length, 2);
    t.indices(Int32Array.of(0, 1), 2, 2, null, 0);
    const d1 = plain(["c", "a"]);
    t.dictionary(d1, 0, d1.length, 2);
    t.indices(Int32Array.of(1, 0), 2, 2, null, 2);
    const p = plain(["zz", "b"]);
    t.plain(p, 0, p.length, 3, 2, Uint8Array.of(1, 0, 1), 4);
    const c = t.finish(7, Uint8Array.of(1, 1, 1, 1, 1, 0, 1)) as DictColumn;
    expect(columnToArray(c.dict)).toEqual(["a", "b", "c", "zz"]);
    expect(columnToArray(c)).toEqual(["b", "a", "a", "c", "zz", null, "b"]);
  });

  it("refuses an index past the current row group's dictionary, and a page claiming more values than it can hold", () => {
    const t = new DictTarget(4, "ordinary");
    const d0 = plain(["a", "b", "c"]);
    t.dictionary(d0, 0, d0.length, 3);
    const d1 = plain(["x"]);
    t.dictionary(d1, 0, d1.length, 1);
    // Index 1 is valid in the batch's appended dictionary but not in this row group's page.
    expect(() => t.indices(Int32Array.of(0, 1), 2, 2, null, 0)).toThrow(/dictionary index 1 past the dictionary's 1 entries/);
    const r = packed([0, 1], 1);
    expect(() => t.lookup(r, 0, r.length, 1, 2, 0)).toThrow(/index 1/);
    expect(() => t.dictionary(d1, 0, d1.length, 2)).toThrow(/claims 2 values/);
  });

  it("refuses a dictionary-encoded page once another chunk's dictionary page took the thread's dictionary scratch", () => {
    const a = new DictTarget(8, "ordinary"), b = new DictTarget(8, "ordinary");
    const d = plain(["a", "b"]);
    a.dictionary(d, 0, d.length, 2);
    b.dictionary(d, 0, d.length, 2);
    const r = packed([1, 0, 1, 0], 1);
    expect(b.lookup(r, 0, r.length, 1, 4, 0)).toBe(true);
    expect(() => a.lookup(r, 0, r.length, 1, 4, 0)).toThrow(/without its column chunk's dictionary page/);
    expect(() => a.indices(Int32Array.of(0), 1, 1, null, 4)).toThrow(/without its column chunk's dictionary page/);
    expect(() => new DictTarget(1, "ordinary").indices(Int32Array.of(0), 1, 1, null, 0)).toThrow(/without its column chunk's dictionary page/);
  });

  it("reads a column without dictionary pages as the distinct values of its PLAIN pages", () => {
    const t = new DictTarget(5, "ordinary");
    const p = plain(["s", "r", "s", "s", "q"]);
    t.plain(p, 0, p.length, 5, 5, null, 0);
    const c = t.finish(5, null) as DictColumn;
    expect(columnToArray(c.dict)).toEqual(["q", "r", "s"]);
    expect(Array.from(c.indices)).toEqual([2, 1, 2, 2, 0]);
  });
});
