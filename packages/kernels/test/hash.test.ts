// Hashing, grouping, partitioning and hash indexes, checked against naive Map-based references.
import { describe, expect, it } from "vitest";
import {
  buildHashIndex, columnFromValues, columnToArray, concatBatches, groupIds, hashColumns, hashPartition,
  probeHashIndex, batchToColumns, type Column,
} from "@tessera/kernels";
import { batchOf, dictCol, rng } from "./helpers.js";

function naiveGroups(cols: Column[]): { ids: number[]; count: number; first: number[] } {
  const vals = cols.map(columnToArray);
  const n = cols[0]?.length ?? 0;
  const m = new Map<string, number>();
  const ids: number[] = [];
  const first: number[] = [];
  for (let i = 0; i < n; i++) {
    const key = JSON.stringify(vals.map((v) => { const x = v[i]; return typeof x === "number" && Number.isNaN(x) ? "NaN" : x === 0 ? 0 : x; }));
    let g = m.get(key);
    if (g === undefined) { g = m.size; m.set(key, g); first.push(i); }
    ids.push(g);
  }
  return { ids, count: m.size, first };
}

function randomKeys(seed: number, n: number) {
  const r = rng(seed);
  const words = ["alpha", "beta", "gamma", "delta", "", "ünïcode"];
  const s = Array.from({ length: n }, () => (r() < 0.1 ? null : words[Math.floor(r() * words.length)] as string));
  const i = Array.from({ length: n }, () => (r() < 0.1 ? null : Math.floor(r() * 7) - 3));
  const big = Array.from({ length: n }, () => (r() < 0.05 ? null : Math.floor(r() * 5) * 1e12));
  const f = Array.from({ length: n }, () => (r() < 0.1 ? null : [0.5, -0, 0, Number.NaN, 2][Math.floor(r() * 5)] as number));
  return { s, i, big, f };
}

describe("hashColumns", () => {
  it("hashes values, not encodings: dict and plain strings agree; int widths agree; nulls agree", () => {
    const plain = columnFromValues("utf8", ["a", "b", null, "a"]);
    const dict = dictCol(["b", "a", "a"], [2, 0, null, 1]);
    expect(Array.from(hashColumns([plain], 4))).toEqual(Array.from(hashColumns([dict], 4)));
    const i32 = columnFromValues("int32", [1, -5, null, 7]);
    const i64 = columnFromValues("int64", [1, -5, null, 7]);
    const f64 = columnFromValues("float64", [1, -5, null, 7]);
    expect(Array.from(hashColumns([i32, plain], 4))).toEqual(Array.from(hashColumns([i64, dict], 4)));
    expect(Array.from(hashColumns([f64], 4))).toEqual(Array.from(hashColumns([i32], 4)));
    const h = hashColumns([plain], 4);
    expect(h[0]).toBe(h[3]);
    expect(h[0]).not.toBe(h[1]);
  });
});

describe("hashes of narrow int ranges", () => {
  it("gathered from a table per value or per tuple, equal those of the same values as int64 and float64", () => {
    const n = 10_000; // past the 4,096 rows from which tables are used
    const r = rng(31);
    const ints = (lo: number, span: number, nulls = false): (number | null)[] =>
      Array.from({ length: n }, () => (nulls && r() < 0.1 ? null : lo + Math.floor(r() * span)));
    const cases: [string, (number | null)[]][] = [
      ["int32", ints(-50, 100)], ["int16", ints(-300, 40)], ["int8", ints(-100, 200)], ["uint16", ints(0, 60_000)],
      ["uint8", ints(0, 256)], ["int32", ints(5, 100, true)], ["int32", ints(-2e9, 4e9)],
    ];
    const mixed = cases.map(([type, values]) => [columnFromValues(type as "int32", values), columnFromValues("int64", values.map((x) => (x === null ? null : BigInt(x)))), columnFromValues("float64", values)] as const);
    for (const [narrow, wide, float] of mixed) expect(Array.from(hashColumns([narrow], n))).toEqual(Array.from(hashColumns([wide], n)));
    // Tuples of two and three narrow columns (through the tuple table), with and without nulls (row by row).
    for (const [a, b, c] of [[0, 1, 4], [2, 0, 1], [5, 3, 0], [0, 6, 1]] as const) {
      const narrow = [mixed[a]![0], mixed[b]![0], mixed[c]![0]];
      const wide = [mixed[a]![1], mixed[b]![2], mixed[c]![1]];
      expect(Array.from(hashColumns(narrow.slice(0, 2), n))).toEqual(Array.from(hashColumns(wide.slice(0, 2), n)));
      expect(Array.from(hashColumns(narrow, n))).toEqual(Array.from(hashColumns(wide, n)));
    }
  });
});

describe("groupIds", () => {
  it("matches a naive reference over mixed key columns with nulls, NaN and -0", () => {
    const n = 500;
    const { s, i, big, f } = randomKeys(7, n);
    const cs = columnFromValues("utf8", s);
    const ci = columnFromValues("int32", i);
    const cb = columnFromValues("int64", big);
    const cf = columnFromValues("float64", f);
    for (const cols of [[cs], [ci], [cb], [cf], [cs, ci], [ci, cf, cb], [cs, cb, cf, ci]]) {
      const g = groupIds(cols);
      const ref = naiveGroups(cols);
      expect(g.count).toBe(ref.count);
      expect(Array.from(g.ids)).toEqual(ref.ids);
      expect(Array.from(g.firstRow)).toEqual(ref.first);
    }
  });

  it("in any order, takes a distinct dictionary's indices and a direct word's keys as the ids when every value occurs", () => {
    const n = 4_000;
    const r = rng(23);
    // Rows of a 5-entry dictionary of distinct values and a 0..6 int column, all values occurring; then with one absent.
    const idx = Array.from({ length: n }, () => Math.floor(r() * 5));
    const ints = Array.from({ length: n }, () => Math.floor(r() * 7));
    const cases: Column[][] = [
      [dictCol(["e", "a", "d", "b", "c"], idx)],
      [columnFromValues("int32", ints)],
      [dictCol(["e", "a", "d", "b", "c"], idx), columnFromValues("int32", ints)],
      [dictCol(["e", "a", "d", "b", "c", "unused"], idx)],
      [columnFromValues("int32", ints.map((x) => (x === 3 ? 4 : x)))],
    ];
    cases.forEach((cols, k) => {
      const g = groupIds(cols, n, true);
      const ref = naiveGroups(cols);
      // Same partition of the rows into groups, and firstRow is each group's first row.
      expect(g.count).toBe(ref.count);
      const toRef = new Map<number, number>();
      for (let i = 0; i < n; i++) {
        const seen = toRef.get(g.ids[i] as number);
        if (seen === undefined) toRef.set(g.ids[i] as number, ref.ids[i] as number);
        else expect(seen).toBe(ref.ids[i]);
      }
      expect(toRef.size).toBe(ref.count);
      for (let q = 0; q < g.count; q++) expect(g.firstRow[q]).toBe(ref.first[toRef.get(q) as number]);
      if (k === 0) expect(Array.from(g.ids)).toEqual(idx); // the indices themselves, not first-appearance numbers
      if (k === 1) expect(Array.from(g.ids)).toEqual(ints.map((x) => x - Math.min(...ints)));
      // A gap in an int range falls back to first-appearance numbering.
      if (k === 4) expect(Array.from(g.ids)).toEqual(ref.ids);
    });
  });

  it("in any order, groups a dictionary by its values' codes: duplicate entries, nulls and entries no row uses", () => {
    const r = rng(29);
    // An appended dictionary (values repeat across its pages), with entries no row indexes.
    const values = Array.from({ length: 3000 }, (_, k) => `v${k % 700}`);
    for (const [nulls, unusedFrom] of [[0, 3000], [0.05, 3000], [0, 2500], [0.1, 2000]] as const) {
      const idx = Array.from({ length: 20_000 }, () => (r() < nulls ? null : Math.floor(r() * unusedFrom)));
      const col = dictCol(values, idx);
      const g = groupIds([col], idx.length, true);
      const ref = naiveGroups([col]);
      expect(g.count, `nulls ${nulls}, entries used ${unusedFrom}`).toBe(ref.count);
      const toRef = new Map<number, number>();
      for (let i = 0; i < idx.length; i++) {
        const id = g.ids[i] as number;
        expect(id >= 0 && id < g.count).toBe(true);
        const seen = toRef.get(id);
        if (seen === undefined) toRef.set(id, ref.ids[i] as number);
        else expect(seen).toBe(ref.ids[i]);
      }
      expect(toRef.size).toBe(ref.count);
      for (let q = 0; q < g.count; q++) expect(g.firstRow[q]).toBe(ref.first[toRef.get(q) as number]);
    }
  });

  it("groups a dictionary with duplicate entries by value and wide-range ints through the hash table", () => {
    const d = dictCol(["x", "y", "x"], [2, 1, 0, null, 1, 2]);
    expect(Array.from(groupIds([d]).ids)).toEqual([0, 1, 0, 2, 1, 0]);
    const wide = columnFromValues("int32", [2e9, -2e9, 5, 2e9, null, 5]);
    const g = groupIds([wide]);
    expect(Array.from(g.ids)).toEqual([0, 1, 2, 0, 3, 2]);
    expect(g.count).toBe(4);
  });

  it("packs many key columns into words: wide products, three and more words, nulls in each column", () => {
    const n = 3000;
    const r = rng(11);
    // Ranges of 2^20 (ints), 5e4 strings and float keys: no two columns pack into one word, so the tuple needs 3+ words.
    const wide = (span: number) => Array.from({ length: n }, () => (r() < 0.05 ? null : Math.floor(r() * span)));
    const a = columnFromValues("int32", wide(1 << 20).map((x) => (x === null ? null : x * 2048)));
    const b = columnFromValues("utf8", wide(50_000).map((x) => (x === null ? null : `k${x % 40}`)));
    const c = columnFromValues("float64", wide(1 << 20).map((x) => (x === null ? null : x / 7)));
    const d = columnFromValues("int64", wide(3).map((x) => (x === null ? null : x * 1e13)));
    const dict = dictCol(["p", "q", "p", "r"], Array.from({ length: n }, () => (r() < 0.05 ? null : Math.floor(r() * 4))));
    for (const cols of [[a, b], [a, c], [a, c, b], [a, b, c, d], [c, a, dict, c, a], [d, dict, d]]) {
      const g = groupIds(cols);
      const ref = naiveGroups(cols);
      expect(g.count).toBe(ref.count);
      expect(Array.from(g.ids)).toEqual(ref.ids);
      expect(Array.from(g.firstRow)).toEqual(ref.first);
    }
  });

  it("groups rows past several blocks of the hash loops (2,048 rows each) in one- and two-word tables", () => {
    const n = 7_001;
    const r = rng(23);
    // 2,500 distinct tuples over 7,001 rows: most rows find a group made blocks earlier.
    const k = Array.from({ length: n }, () => (r() < 0.03 ? null : Math.floor(r() * 2_500)));
    const x = columnFromValues("int32", k.map((v) => (v === null ? null : v * 4096)));
    const y = columnFromValues("int64", k.map((v) => (v === null ? null : ((v * 7) % 2_500) * 1e12)));
    const z = columnFromValues("float64", k.map((v, i) => (v === null ? i % 3 : ((v * 13) % 2_500) / 3)));
    // [x, y] packs into one word too wide for a direct array (a one-word table); [x, y, z] needs two words.
    for (const cols of [[x, y], [y, z], [x, y, z], [z, y, x]]) {
      const g = groupIds(cols);
      const ref = naiveGroups(cols);
      expect(g.count).toBe(ref.count);
      expect(Array.from(g.ids)).toEqual(ref.ids);
      expect(Array.from(g.firstRow)).toEqual(ref.first);
    }
  });

  it("puts every row in one group without keys", () => {
    expect(groupIds([], 3)).toMatchObject({ count: 1 });
    expect(groupIds([], 0).count).toBe(0);
  });
});

describe("hashPartition", () => {
  it("sends equal keys to the same partition, keeps row order, and loses no rows", () => {
    const n = 300;
    const { s, i } = randomKeys(3, n);
    const b = batchOf({ s: columnFromValues("utf8", s), i: columnFromValues("int64", i), row: columnFromValues("int32", s.map((_, k) => k)) });
    const parts = hashPartition(b, ["s", "i"], 4);
    expect(parts.reduce((a, p) => a + p.length, 0)).toBe(n);
    const where = new Map<string, number>();
    parts.forEach((p, pi) => {
      const c = batchToColumns(p);
      const rows = c.row as number[];
      expect(rows).toEqual([...rows].sort((x, y) => x - y));
      rows.forEach((_, k) => {
        const key = JSON.stringify([c.s?.[k], c.i?.[k]]);
        expect(where.get(key) ?? pi).toBe(pi);
        where.set(key, pi);
      });
    });
    const again = concatBatches(parts);
    expect(again.length).toBe(n);
  });
});

describe("hash index", () => {
  it("finds all matching pairs in probe order then build order, never matching nulls", () => {
    const build = [dictCol(["a", "b"], [0, 1, 0, null, 0]), columnFromValues("int32", [1, 1, 1, 1, 2])];
    const probe = [columnFromValues("utf8", ["a", "b", null, "a", "c", "a"]), columnFromValues("int64", [1, 1, 1, 2, 1, null])];
    const r = probeHashIndex(buildHashIndex(build), probe);
    const bv = build.map(columnToArray);
    const pv = probe.map(columnToArray);
    const ref: [number, number][] = [];
    for (let j = 0; j < 6; j++) {
      for (let i = 0; i < 5; i++) {
        if (pv.every((c, k) => c[j] !== null && c[j] === (bv[k] as unknown[])[i])) ref.push([j, i]);
      }
    }
    expect(Array.from(r.probeRow).map((p, k) => [p, r.buildRow[k]])).toEqual(ref);
  });

  it("matches random multi-column keys like a nested-loop join", () => {
    const { s: s1, i: i1 } = randomKeys(11, 120);
    const { s: s2, i: i2 } = randomKeys(12, 90);
    const build = [columnFromValues("utf8", s1), columnFromValues("int32", i1)];
    const probe = [columnFromValues("utf8", s2), columnFromValues("int32", i2)];
    const r = probeHashIndex(buildHashIndex(build), probe);
    let expected = 0;
    for (let j = 0; j < 90; j++) for (let i = 0; i < 120; i++) if (s2[j] !== null && i2[j] !== null && s2[j] === s1[i] && i2[j] === i1[i]) expected++;
    expect(r.probeRow.length).toBe(expected);
    for (let k = 0; k < r.probeRow.length; k++) {
      const j = r.probeRow[k] as number;
      const i = r.buildRow[k] as number;
      expect([s2[j], i2[j]]).toEqual([s1[i], i1[i]]);
    }
  });
});

describe("packed key words", () => {
  it("are built over the columns' code arrays, and group ids over the words, without copies", async () => {
    const { columnCodes, packCodes } = await import("../src/key-codes.js");
    const { wordGroups } = await import("../src/word-groups.js");
    const n = 5_000;
    const a = columnFromValues("int32", Array.from({ length: n }, (_, i) => (i * 37) % 101));
    const b = columnFromValues("utf8", Array.from({ length: n }, (_, i) => `k${(i * 11) % 7}`));
    const parts = [columnCodes(a), columnCodes(b)];
    const firstCodes = Array.from(parts[0]!.codes);
    const words = packCodes(parts, n);
    expect(words).toHaveLength(1);
    expect(words[0]!.keys.buffer).toBe(parts[0]!.codes.buffer);
    // The packed word is the mixed-radix tuple of both columns' codes.
    for (let i = 0; i < n; i += 97) expect(words[0]!.keys[i]).toBe(firstCodes[i]! * parts[1]!.count + parts[1]!.codes[i]!);
    const g = wordGroups(words, n);
    expect(g.ids.buffer).toBe(parts[0]!.codes.buffer);
    expect(Array.from(g.ids)).toEqual(naiveGroups([a, b]).ids);
  });

  it("are exact up to a count of 2^32 (words past 2^31 included), and start a new word past it", async () => {
    const { packCodes } = await import("../src/key-codes.js");
    // 70,000 × 61,000 = 4.27e9 < 2^32: one word; a third column of 2 codes makes it 8.5e9, so a second word.
    const n = 4_000;
    const c0 = Int32Array.from({ length: n }, (_, i) => (i < 10 ? 69_999 : (i * 7919) % 70_000));
    const c1 = Int32Array.from({ length: n }, (_, i) => (i < 10 ? 60_999 - i : (i * 104_729) % 61_000));
    const c2 = Int32Array.from({ length: n }, (_, i) => i % 2);
    const want = Array.from(c0, (x, i) => x * 61_000 + (c1[i] as number));
    const words = packCodes([{ codes: c0, count: 70_000 }, { codes: c1, count: 61_000 }, { codes: c2.slice(), count: 2 }], n);
    expect(words.map((w) => w.count)).toEqual([70_000 * 61_000, 2]);
    expect(Array.from(words[0]!.keys)).toEqual(want);
    expect(Math.max(...want)).toBeGreaterThan(2 ** 31);
    expect(Array.from(words[1]!.keys)).toEqual(Array.from(c2));
  });
});
