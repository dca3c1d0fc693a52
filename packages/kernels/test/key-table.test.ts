// Key tables of any size (multiply-shift slots, not a power of two): every value keeps one code through growth, and
// lookups find exactly the values inserted.
import { afterEach, describe, expect, it } from "vitest";
import type { Column, DictColumn, StrColumn } from "@tessera/kernels";
import { columnFromValues, columnToArray } from "@tessera/kernels";
import { encodeColumn, newKeyTable } from "../src/key-table.js";
import { enableScratch, reclaimScratch } from "../src/scratch.js";

describe("key tables", () => {
  it("give each distinct value one dense code through many growths from a small table, and -1 to absent values", () => {
    const n = 40_000;
    const cases: [Column, Column][] = [
      [columnFromValues("utf8", Array.from({ length: n }, (_, i) => `value-${(i * 7919) % 9973}-${i % 3}`)), columnFromValues("utf8", ["value-1-1", "nope", "value-9972-0"])],
      [columnFromValues("int64", Array.from({ length: n }, (_, i) => BigInt((i * 7919) % 29989) * 4_294_967_311n)), columnFromValues("int64", [4_294_967_311n, 5n])],
      [columnFromValues("float64", Array.from({ length: n }, (_, i) => ((i * 7919) % 29989) / 7 - 1000)), columnFromValues("float64", [-1000, 0.5])],
    ];
    for (const [col, probe] of cases) {
      const t = newKeyTable(col.kind === "num" && col.type === "float64" ? "float" : col.kind === "num" ? "int" : "str", 3);
      const codes = encodeColumn(t, col, true);
      const firstCode = new Map<string, number>();
      const values = columnToArray(col);
      for (let i = 0; i < n; i++) {
        const key = String(values[i]);
        const seen = firstCode.get(key);
        if (seen === undefined) {
          // Codes are dense, in first-appearance order.
          expect(codes[i]).toBe(firstCode.size);
          firstCode.set(key, codes[i]!);
        } else {
          expect(codes[i]).toBe(seen);
        }
      }
      expect(t.count).toBe(firstCode.size);
      expect(t.size).not.toBe(2 ** Math.round(Math.log2(t.size)));
      // Looking up: present values get their code, absent ones -1, and nothing is inserted.
      const found = encodeColumn(t, probe, false);
      expect(found[0]).toBeGreaterThanOrEqual(0);
      expect(found[1]).toBe(-1);
      expect(t.count).toBe(firstCode.size);
    }
  });

  it("encode strings in blocks: nulls, long strings alike in their first 12 bytes, and growth inside a block keep codes exact", () => {
    // 3 blocks' worth of rows (blocks are 2,048); the table starts at 16 slots, so it grows inside the first blocks.
    const n = 6_500;
    const values: (string | null)[] = Array.from({ length: n }, (_, i) => {
      if (i % 11 === 5) return null;
      const k = (i * 7919) % 1_777;
      // Lengths 0..40: short ones fit in a slot, long ones share the prefix "shared-prefix" and differ past byte 12.
      return k % 4 === 0 ? "x".repeat(k % 13) : `shared-prefix-${k}`.padEnd(14 + (k % 27), "z");
    });
    const col = columnFromValues("utf8", values);
    const t = newKeyTable("str", 3);
    const codes = encodeColumn(t, col, true);
    const byValue = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const v = values[i] ?? null;
      if (v === null) { expect(codes[i]).toBe(-1); continue; }
      const seen = byValue.get(v);
      if (seen === undefined) { expect(codes[i]).toBe(byValue.size); byValue.set(v, codes[i]!); } else expect(codes[i]).toBe(seen);
    }
    expect(t.count).toBe(byValue.size);
    // Lookups of a second column, over block boundaries: present values find their code, absent ones and nulls -1.
    const probeValues = Array.from({ length: 4_200 }, (_, i) => (i % 3 === 0 ? values[(i * 31) % n]! : i % 3 === 1 ? `shared-prefix-${i}-absent`.padEnd(30, "z") : null));
    const found = encodeColumn(t, columnFromValues("utf8", probeValues), false);
    for (let i = 0; i < probeValues.length; i++) {
      const v = probeValues[i] ?? null;
      expect(found[i]).toBe(v === null ? -1 : (byValue.get(v) ?? -1));
    }
    expect(t.count).toBe(byValue.size);
  });

  it("encode int keys in blocks: every element kind, nulls, growth inside a block, and float lookups of exact integers only", () => {
    const n = 6_500;
    const t = newKeyTable("int", 3);
    // Int32 with nulls and negatives, inserted through many growths.
    const ints = Array.from({ length: n }, (_, i) => (i % 13 === 4 ? null : ((i * 7919) % 3_001) - 1_500));
    const codes = encodeColumn(t, columnFromValues("int32", ints), true);
    const byValue = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const v = ints[i] ?? null;
      if (v === null) { expect(codes[i]).toBe(-1); continue; }
      const seen = byValue.get(v);
      if (seen === undefined) { expect(codes[i]).toBe(byValue.size); byValue.set(v, codes[i]!); } else expect(codes[i]).toBe(seen);
    }
    expect(t.count).toBe(byValue.size);
    // The same values as int64 and as uint32 (non-negative ones) find the same codes; values past 2^31 are absent.
    const wide = Array.from({ length: 4_500 }, (_, i) => (i % 5 === 0 ? 2 ** 31 + i : ((i * 31) % 3_001) - 1_500));
    const asInt64 = encodeColumn(t, columnFromValues("int64", wide.map((v) => BigInt(v))), false);
    const nonNegative = wide.filter((v) => v >= 0);
    const asUint32 = encodeColumn(t, columnFromValues("uint32", nonNegative), false);
    wide.forEach((v, i) => expect(asInt64[i]).toBe(byValue.get(v) ?? -1));
    nonNegative.forEach((v, i) => expect(asUint32[i]).toBe(byValue.get(v) ?? -1));
    // Floats: exact integers match (-0 as 0), fractions, NaN and values past 2^53 never do.
    const floats = Array.from({ length: 4_500 }, (_, i) => [((i * 17) % 3_001) - 1_500, -0, 0.5 + i, Number.NaN, 2 ** 60][i % 5]!);
    const asFloat = encodeColumn(t, columnFromValues("float64", floats), false);
    floats.forEach((v, i) => expect(asFloat[i]).toBe(Number.isInteger(v) && Math.abs(v) <= 2 ** 53 ? (byValue.get(v + 0) ?? -1) : -1));
    expect(t.count).toBe(byValue.size);
  });
});

describe("dictionary columns in key tables", () => {
  const words = Array.from({ length: 300 }, (_, i) => `w${(i * 37) % 300}`);
  const n = 5_000;
  const idx = Int32Array.from({ length: n }, (_, i) => (i * 7919) % 300);
  const dictOf = (values: string[], valid: Uint8Array | null = null): DictColumn => ({
    kind: "dict", type: "utf8", length: n, indices: idx.slice(), dict: columnFromValues("utf8", values) as StrColumn, valid,
  });
  /** The codes a plain string column of the same rows gets. */
  const plainCodes = (c: DictColumn): Int32Array => encodeColumn(newKeyTable("str", 8), columnFromValues("utf8", columnToArray(c) as (string | null)[]), true);

  it("code each row by its index when the dictionary's distinct values enter a fresh table, in a copy the caller may overwrite", () => {
    const c = dictOf(words);
    const codes = encodeColumn(newKeyTable("str", 8), c, true);
    // Codes follow the dictionary's entries: row i's code is its index, whatever order the rows meet them in.
    expect([...codes]).toEqual([...idx]);
    expect(codes.buffer).not.toBe(c.indices.buffer);
    codes.fill(-7);
    expect([...c.indices]).toEqual([...idx]);
  });

  it("gathers codes when the dictionary repeats values, the table already holds some, or rows are null", () => {
    const repeated = dictOf(words.map((w, k) => (k % 3 === 0 ? "same" : w)));
    const got = encodeColumn(newKeyTable("str", 8), repeated, true);
    // Equal values share one code: rows are grouped by value, as a plain string column's rows are.
    const want = plainCodes(repeated);
    const pairs = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const seen = pairs.get(got[i] as number);
      if (seen === undefined) pairs.set(got[i] as number, want[i] as number);
      else expect(seen).toBe(want[i]);
    }
    expect(new Set(got).size).toBe(new Set(want).size);

    const t = newKeyTable("str", 8);
    encodeColumn(t, columnFromValues("utf8", ["w5", "zzz"]), true);
    const shifted = encodeColumn(t, dictOf(words), true);
    const entry = encodeColumn(t, columnFromValues("utf8", words), false);
    expect([...shifted]).toEqual([...idx].map((k) => entry[k]));

    const valid = Uint8Array.from({ length: n }, (_, i) => (i % 11 === 3 ? 0 : 1));
    const withNulls = encodeColumn(newKeyTable("str", 8), dictOf(words, valid), true);
    expect([...withNulls]).toEqual([...idx].map((k, i) => (valid[i] === 0 ? -1 : k)));
  });
});

describe("key tables' memory", () => {
  afterEach(() => enableScratch(false));
  // Short strings (up to 12 bytes, held whole by a slot) and long ones alike in their first 12 bytes.
  const values = Array.from({ length: 30_000 }, (_, i) => {
    const k = (i * 7919) % 12_345;
    return k % 2 === 0 ? `s${k}` : `a-long-shared-prefix-${k}`;
  });

  it("keep no bytes of short keys unless asked, and code them as a table that keeps every value does", () => {
    const col = columnFromValues("utf8", values);
    const coding = newKeyTable("str", 8);
    const keeping = newKeyTable("str", 8, true);
    const a = encodeColumn(coding, col, true);
    const b = encodeColumn(keeping, col, true);
    expect([...a]).toEqual([...b]);
    expect(coding.count).toBe(new Set(values).size);
    // The long keys' bytes alone: the short ones are in the slots.
    const longBytes = [...new Set(values)].filter((v) => v.length > 12).reduce((s, v) => s + v.length, 0);
    expect(coding.offsets[coding.count]).toBe(longBytes);
    expect(keeping.offsets[keeping.count]).toBe([...new Set(values)].reduce((s, v) => s + v.length, 0));
    // Lookups in the coding table still tell a long key from one differing past its first 12 bytes.
    const probe = encodeColumn(coding, columnFromValues("utf8", ["a-long-shared-prefix-1", "a-long-shared-prefix-99999", "s0", "s1"]), false);
    expect([...probe]).toEqual([a[values.indexOf("a-long-shared-prefix-1")], -1, a[values.indexOf("s0")], -1]);
  });

  it("take their slots from a pool thread's scratch memory, reused by the next task's table, and grow there exactly", () => {
    enableScratch(true);
    reclaimScratch();
    const col = columnFromValues("utf8", values);
    const first = newKeyTable("str", values.length);
    const want = encodeColumn(first, col, true);
    const firstSlots = first.slots.buffer;
    // Another task: the scratch buffers come back, and a table of the same size gets the same (zeroed) slots.
    reclaimScratch();
    const second = newKeyTable("str", values.length);
    expect(second.slots.buffer === firstSlots).toBe(true); // a boolean: a failing toBe would print both buffers
    expect(second.slots.every((x) => x === 0)).toBe(true);
    expect([...encodeColumn(second, col, true)]).toEqual([...want]);
    // A table started small grows through scratch buffers (stale contents from earlier tasks) and codes the same.
    reclaimScratch();
    const grown = newKeyTable("str", 8);
    expect([...encodeColumn(grown, col, true)]).toEqual([...want]);
    expect(grown.count).toBe(first.count);
  });
});
