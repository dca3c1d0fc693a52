// Coding many strings partition by partition: the same grouping of rows as one key table, dense codes, values that
// differ only past their first 12 bytes kept apart, tables that grow past their estimate; and grouping through it.
import { describe, expect, it } from "vitest";
import { columnFromValues, columnToArray, type Column, type DictColumn, type StrColumn } from "@tessera/kernels";
import { partitionedStrCodes, PARTITIONED_MIN_ROWS } from "../src/partitioned-codes.js";
import { groupIds } from "../src/group-ids.js";
import { rng } from "./helpers.js";
import { hashBytes } from "../src/hash-fns.js";

/** Checks `codes` groups rows exactly as their values do, with codes dense in [0, count). */
function expectSameGrouping(values: readonly (string | null)[], codes: Int32Array, count: number): void {
  const byValue = new Map<string | null, number>();
  const seen = new Set<number>();
  let bad = 0;
  values.forEach((v, i) => {
    const c = codes[i] as number;
    if (!(c >= 0 && c < count)) bad++;
    const known = byValue.get(v);
    if (known === undefined) {
      if (seen.has(c)) bad++; // a new value must get a code no other value has
      byValue.set(v, c);
      seen.add(c);
    } else if (c !== known) bad++;
  });
  expect(bad).toBe(0);
  expect(count).toBe(byValue.size);
}

describe("partitioned string codes", () => {
  const r = rng(5);
  // Short values, values of exactly 12 and 13 bytes, long ones sharing their first 12 bytes, and the empty string.
  const pool = [
    ...Array.from({ length: 3000 }, (_, k) => `k${k}`),
    ...Array.from({ length: 500 }, (_, k) => `twelve-${String(k).padStart(5, "0")}`),
    ...Array.from({ length: 500 }, (_, k) => `thirteen-${String(k).padStart(4, "0")}x`),
    ...Array.from({ length: 1500 }, (_, k) => `shared-prefix-${k}-${"z".repeat(k % 30)}`),
    "",
  ];
  const values = Array.from({ length: 40_000 }, () => pool[Math.floor(r() * pool.length)] as string);
  const col = columnFromValues("utf8", values) as StrColumn;

  it("group rows as their values do, over one partition or hundreds", () => {
    for (const perPartition of [1 << 20, 256, 16]) {
      const { codes, count } = partitionedStrCodes(col, perPartition);
      expectSameGrouping(values, codes, count);
    }
  });

  it("keep apart values alike in hash, length and first 12 bytes, by the rest of their bytes", () => {
    const a = "same-12bytes01j7y", b = "same-12bytes04ki8"; // a murmur3 collision, found by search
    const bytes = (v: string): Uint8Array => new TextEncoder().encode(v);
    expect(hashBytes(bytes(a), 0, a.length)).toBe(hashBytes(bytes(b), 0, b.length));
    const mixed = Array.from({ length: 5000 }, (_, i) => (i % 3 === 0 ? a : i % 3 === 1 ? b : `o${i % 50}`));
    const { codes, count } = partitionedStrCodes(columnFromValues("utf8", mixed) as StrColumn, 16);
    expectSameGrouping(mixed, codes, count);
    expect(codes[0]).not.toBe(codes[1]);
  });

  it("grow a partition's table when the sample underestimates the values", () => {
    // The 2,048 rows sampled (every 16th of 32,768) all hold one value; the others, 5,000 distinct, lie between them,
    // so the table starts at its smallest and grows many times.
    const skewed = Array.from({ length: 32_768 }, (_, i) => (i % 16 === 0 ? "same" : `v${i % 5000}`));
    const { codes, count } = partitionedStrCodes(columnFromValues("utf8", skewed) as StrColumn, 64);
    expectSameGrouping(skewed, codes, count);
  });

  it("serve grouping by a large dictionary and by long string columns among several keys", () => {
    const n = PARTITIONED_MIN_ROWS + 5_000;
    // A dictionary of appended pages: each value in it many times, so entries repeat values.
    const entries = Array.from({ length: n }, (_, k) => `id${String((k * 7919) % 20_000).padStart(10, "0")}`);
    const idx = Int32Array.from({ length: n }, () => Math.floor(r() * n));
    const valid = Uint8Array.from({ length: n }, (_, i) => (i % 37 === 0 ? 0 : 1));
    const dict: DictColumn = { kind: "dict", type: "utf8", length: n, indices: idx, valid, dict: columnFromValues("utf8", entries) as StrColumn };
    const plain = columnFromValues("utf8", columnToArray(dict) as (string | null)[]);
    const small = columnFromValues("int32", Array.from({ length: n }, (_, i) => i % 3));
    const strs = columnFromValues("utf8", Array.from({ length: n }, (_, i) => `s${(i * 31) % 9000}`)) as StrColumn;
    for (const cols of [[dict], [dict, small], [small, strs], [dict, strs]] as Column[][]) {
      const keys = cols.map((c) => columnToArray(c));
      const tuple = Array.from({ length: n }, (_, i) => JSON.stringify(keys.map((k) => k[i])));
      for (const anyOrder of [false, true]) {
        const g = groupIds(cols, n, anyOrder);
        expectSameGrouping(tuple, g.ids, g.count);
        // firstRow is each group's first row.
        const first = new Map<string, number>();
        tuple.forEach((t, i) => { if (!first.has(t)) first.set(t, i); });
        let wrong = 0;
        for (let q = 0; q < g.count; q++) if (g.firstRow[q] !== first.get(tuple[g.firstRow[q] as number] as string)) wrong++;
        expect(wrong).toBe(0);
        expect(new Set(g.firstRow).size).toBe(g.count);
      }
    }
    // A dictionary column groups like the same strings written out.
    expect(groupIds([dict]).count).toBe(groupIds([plain]).count);
  });

  it("read short values as words: the bytes after a value never count, and values at the buffer's end (read byte by byte) match the same values elsewhere", () => {
    const r2 = rng(9);
    // Values of 0 to 12 bytes, many sharing prefixes, so a neighbour's bytes would split equal values if read.
    const short = Array.from({ length: 400 }, (_, k) => "abcdefghijkl".slice(0, k % 13) + (k < 13 ? "" : String.fromCharCode(65 + (k % 26))).repeat(k % 2)).map((v) => v.slice(0, 12));
    for (const seed of [1, 2, 3]) {
      const vals = Array.from({ length: 30_000 + seed }, () => short[Math.floor(r2() * short.length)] as string);
      // The last few values repeat earlier ones and sit within 12 bytes of the end of the buffer.
      for (let k = 1; k <= 6; k++) vals[vals.length - k] = vals[k * 97] as string;
      const col = columnFromValues("utf8", vals) as StrColumn;
      // The same bytes as a view inside a larger buffer (an offset view, as columns in shared memory are).
      const wide = new Uint8Array(col.bytes.length + 40).fill(0x5a);
      wide.set(col.bytes, 17);
      const viewed: StrColumn = { ...col, bytes: wide.subarray(17, 17 + col.bytes.length) };
      for (const c of [col, viewed]) {
        const { codes, count } = partitionedStrCodes(c, 16);
        expectSameGrouping(vals, codes, count);
      }
    }
  });
});
