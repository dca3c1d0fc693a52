// Sort kernels against a naive stable reference sort: every key type, nulls first/last, descending mixes, stability.
import { describe, expect, it } from "vitest";
import type { DType } from "@tessera/common";
import { compareWordRows, enableScratch, keyOrderWords, reclaimScratch, scratchArray, sortBatch, sortIndices, type Batch, type SortSpec } from "@tessera/kernels";
import { cell, compareCells, dictCol, makeBatch, numCol, randomColumn, rng, rowsOf, strCol } from "./relational-fixtures.js";

/** Reference: Array.prototype.sort is stable, ties broken by row id for certainty. */
function referenceOrder(b: Batch, spec: SortSpec): number[] {
  const cols = spec.by.map((name) => b.columns[b.fields.findIndex((f) => f.name === name)]!);
  const ids = Array.from({ length: b.length }, (_, i) => i);
  return ids.sort((i, j) => {
    for (let k = 0; k < cols.length; k++) {
      const c = compareCells(cell(cols[k]!, i), cell(cols[k]!, j), spec.descending[k]!, spec.nullsLast[k]!);
      if (c !== 0) return c;
    }
    return i - j;
  });
}

const ALL_TYPES: (DType | "dict")[] = [
  "bool", "int8", "int16", "int32", "uint8", "uint16", "uint32", "int64", "uint64", "float32", "float64",
  "date32", "timestamp[ms]", "utf8", "dict",
];

describe("sortIndices", () => {
  it("matches the stable reference for a single key of every type, both directions and null placements", () => {
    const r = rng(1);
    for (const type of ALL_TYPES) {
      for (const n of [0, 1, 7, 40, 300]) {
        for (const distinct of [3, 1000]) {
          const b = makeBatch({ k: randomColumn(type, n, r, { distinct }) });
          for (const descending of [false, true]) {
            for (const nullsLast of [false, true]) {
              const spec: SortSpec = { by: ["k"], descending: [descending], nullsLast: [nullsLast] };
              expect(Array.from(sortIndices(b, spec)), `${type} n=${n} d=${distinct} desc=${descending} nl=${nullsLast}`)
                .toEqual(referenceOrder(b, spec));
            }
          }
        }
      }
    }
  });

  it("matches the reference for multi-key sorts mixing types, directions and null placement", () => {
    const r = rng(2);
    for (let trial = 0; trial < 60; trial++) {
      const nk = 1 + Math.floor(r() * 3);
      const n = [5, 60, 500][trial % 3]!;
      const cols: Record<string, ReturnType<typeof randomColumn>> = {};
      const spec = { by: [] as string[], descending: [] as boolean[], nullsLast: [] as boolean[] };
      for (let k = 0; k < nk; k++) {
        const type = ALL_TYPES[Math.floor(r() * ALL_TYPES.length)]!;
        cols[`k${k}`] = randomColumn(type, n, r, { distinct: 2 + Math.floor(r() * 6), nulls: r() * 0.3 });
        spec.by.push(`k${k}`);
        spec.descending.push(r() < 0.5);
        spec.nullsLast.push(r() < 0.5);
      }
      cols.payload = numCol("int32", Array.from({ length: n }, (_, i) => i));
      const b = makeBatch(cols);
      expect(Array.from(sortIndices(b, spec)), `trial ${trial}`).toEqual(referenceOrder(b, spec));
    }
  });

  it("is stable: equal keys keep input order, also when descending", () => {
    const keys = numCol("int32", [2, 1, 2, 1, 2, null, 1, null]);
    const b = makeBatch({ k: keys });
    expect(Array.from(sortIndices(b, { by: ["k"], descending: [false], nullsLast: [true] }))).toEqual([1, 3, 6, 0, 2, 4, 5, 7]);
    expect(Array.from(sortIndices(b, { by: ["k"], descending: [true], nullsLast: [false] }))).toEqual([5, 7, 0, 2, 4, 1, 3, 6]);
  });

  it("orders NaN after +Infinity, treats -0 as 0 and keeps null placement independent of direction", () => {
    const b = makeBatch({ x: numCol("float64", [Number.NaN, 1, -Infinity, null, Infinity, -0, 0, Number.NaN]) });
    const asc = sortBatch(b, { by: ["x"], descending: [false], nullsLast: [true] });
    expect(rowsOf(asc).map((r) => r[0])).toEqual([-Infinity, -0, 0, 1, Infinity, Number.NaN, Number.NaN, null]);
    const desc = sortBatch(b, { by: ["x"], descending: [true], nullsLast: [true] });
    expect(rowsOf(desc).map((r) => r[0])).toEqual([Number.NaN, Number.NaN, Infinity, 1, -0, 0, -Infinity, null]);
  });

  it("orders strings by UTF-8 bytes (code points), not UTF-16 units, for plain and dictionary columns", () => {
    const values = ["\uFFFD", "😀", "a", "", "ab\u0000", "ab", null, "é"];
    const expected = ["", "a", "ab", "ab\u0000", "é", "\uFFFD", "😀", null];
    for (const col of [strCol(values, 5), dictCol(values)]) {
      const sorted = sortBatch(makeBatch({ s: col }), { by: ["s"], descending: [false], nullsLast: [true] });
      expect(rowsOf(sorted).map((r) => r[0])).toEqual(expected);
    }
  });

  it("sorts many rows with wide ranges (several radix passes) like the reference", () => {
    const r = rng(3);
    const n = 4000;
    const b = makeBatch({
      a: randomColumn("int32", n, r, { distinct: 1_000_000 }),
      f: randomColumn("float64", n, r, { distinct: 100_000 }),
      s: randomColumn("utf8", n, r, { distinct: 3000 }),
    });
    for (const spec of [
      { by: ["a"], descending: [true], nullsLast: [false] },
      { by: ["f", "a"], descending: [false, true], nullsLast: [true, false] },
      { by: ["s", "f"], descending: [true, false], nullsLast: [false, true] },
    ]) expect(Array.from(sortIndices(b, spec))).toEqual(referenceOrder(b, spec));
  });

  it("sorts long shared prefixes, embedded NUL bytes and prefix-extensions like the reference (deep MSD rounds)", () => {
    const r = rng(4);
    const tails = ["", "\u0000", "\u0000\u0000", "a", "\u0000a", "é", "😀"];
    const values = Array.from({ length: 2500 }, () => (r() < 0.05 ? null
      : `common/prefix/${Math.floor(r() * 300)}${tails[Math.floor(r() * tails.length)]!}`));
    for (const col of [strCol(values, 2), dictCol(values)]) {
      const b = makeBatch({ s: col });
      for (const spec of [
        { by: ["s"], descending: [false], nullsLast: [false] },
        { by: ["s"], descending: [true], nullsLast: [true] },
      ]) expect(Array.from(sortIndices(b, spec))).toEqual(referenceOrder(b, spec));
    }
  });

  it("sortBatch reorders every column and keeps the schema", () => {
    const b = makeBatch({ k: numCol("int64", [3n, -1n, null, 2n]), v: strCol(["c", "a", "n", "b"]) });
    const out = sortBatch(b, { by: ["k"], descending: [false], nullsLast: [false] });
    expect(out.fields).toEqual(b.fields);
    expect(rowsOf(out)).toEqual([[null, "n"], [-1n, "a"], [2n, "b"], [3n, "c"]]);
  });

  it("rejects unknown columns and malformed specs with PlanErrors", () => {
    const b = makeBatch({ k: numCol("int32", [1]) });
    expect(() => sortIndices(b, { by: ["nope"], descending: [false], nullsLast: [false] })).toThrow(expect.objectContaining({ code: "COLUMN_NOT_FOUND" }));
    expect(() => sortIndices(b, { by: ["k"], descending: [], nullsLast: [false] })).toThrow(expect.objectContaining({ code: "SORT_SPEC_INVALID" }));
  });
});

describe("order words of floats", () => {
  it("are read from the bits in one pass: every NaN (either sign, any payload) greatest and equal, -0 as 0, numbers in order", () => {
    const cases = [
      { type: "float64" as const, ctor: Float64Array, values: [-Infinity, -1e300, -2.5, -5e-324, -0, 0, 5e-324, 1, 2.5e300, Infinity], nans: [[1, 0xfff00000], [0, 0x7ff80001]] },
      { type: "float32" as const, ctor: Float32Array, values: [-Infinity, -3e38, -2.5, -1.5e-45, -0, 0, 1.5e-45, 1, 3e38, Infinity], nans: [[0xff800001], [0x7fc00001]] },
    ];
    // Scratch memory holding garbage: the words must not depend on what an earlier task left there.
    enableScratch(true);
    try {
      for (let round = 0; round < 2; round++) {
        for (const c of cases) {
          reclaimScratch();
          scratchArray(Uint32Array, 1 << 16, false).fill(0xdeadbeef);
          reclaimScratch();
          const v = new c.ctor(1 << 15);
          v.set(c.values);
          // Rows 10 and 11: a negative signalling NaN with a payload, a positive quiet NaN with a payload.
          const bits = new Uint32Array(v.buffer);
          const per = c.type === "float64" ? 2 : 1;
          c.nans.forEach((words, k) => words.forEach((w, j) => { bits[per * (10 + k) + j] = w; }));
          expect(Number.isNaN(v[10]) && Number.isNaN(v[11])).toBe(true);
          const words = keyOrderWords({ kind: "num", type: c.type, length: v.length, values: v, valid: null }, false, true);
          const cmp = (a: number, b: number) => compareWordRows(words, a, b);
          for (let i = 0; i + 1 < c.values.length; i++) {
            if (Object.is(c.values[i], -0)) expect(cmp(i, i + 1), `${c.type}: -0 and 0`).toBe(0);
            else expect(cmp(i, i + 1), `${c.type}: ${c.values[i]} < ${c.values[i + 1]}`).toBeLessThan(0);
          }
          expect(cmp(9, 10), `${c.type}: Infinity < NaN`).toBeLessThan(0);
          expect(cmp(10, 11), `${c.type}: NaNs equal`).toBe(0);
          expect(cmp(12, 4), `${c.type}: 0 (the zero fill) equals -0`).toBe(0);
        }
      }
    } finally {
      enableScratch(false);
    }
  });
});
