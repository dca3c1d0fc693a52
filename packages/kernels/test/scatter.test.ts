// scatterColumn: every partition's piece holds exactly the rows a take of that partition's row list holds, in order, in buffers of its own.
import { describe, expect, it } from "vitest";
import { columnToArray, partitionIndices, partitionLayout, scatterColumn, takeColumn, type Column, type NumColumn, type StrColumn } from "@tessera/kernels";
import { col, dictCol, rng } from "./helpers.js";

function randomParts(seed: number, rows: number, n: number): Uint32Array {
  const r = rng(seed);
  // Partition n - 1 is left empty, and partition 0 gets a run of rows, so empty and lopsided pieces both occur.
  return Uint32Array.from({ length: rows }, (_, i) => (i < rows / 5 ? 0 : Math.floor(r() * (n - 1))));
}

function expectPiecesMatchTakes(c: Column, parts: Uint32Array, n: number): Column[] {
  const pieces = scatterColumn(c, partitionLayout(parts, n));
  const lists = partitionIndices(parts, n);
  expect(pieces.length).toBe(n);
  pieces.forEach((p, j) => {
    expect(p.length).toBe((lists[j] as Int32Array).length);
    expect(columnToArray(p)).toEqual(columnToArray(takeColumn(c, lists[j] as Int32Array)));
  });
  return pieces;
}

describe("scatterColumn", () => {
  const rows = 3000;
  const n = 7;
  const parts = randomParts(1, rows, n);
  const r = rng(2);

  it("fixed-width columns of every width, with and without nulls", () => {
    for (const type of ["int8", "uint16", "int32", "float32", "float64", "int64", "bool"] as const) {
      const values = Array.from({ length: rows }, (_, i) => {
        if (i % 11 === 0) return null;
        if (type === "bool") return r() < 0.5;
        if (type === "int64") return BigInt(Math.floor((r() - 0.5) * 2 ** 52)) * 4096n;
        return type === "float64" || type === "float32" ? (r() - 0.5) * 1e6 : Math.floor(r() * 100);
      });
      const pieces = expectPiecesMatchTakes(col(type, values), parts, n) as NumColumn[];
      for (const p of pieces) expect(p.values.buffer.byteLength).toBe(p.values.byteLength);
      expectPiecesMatchTakes(col(type, values.map((v, i) => v ?? values[(i + 1) % rows] ?? 0)), parts, n);
    }
  });

  it("keeps every bit of 64-bit values, NaN payloads included", () => {
    const bits = new BigUint64Array(rows);
    for (let i = 0; i < rows; i++) bits[i] = 0x7ff0000000000001n + BigInt(i); // signalling-NaN patterns
    const f: NumColumn = { kind: "num", type: "float64", length: rows, values: new Float64Array(bits.buffer), valid: null };
    const pieces = scatterColumn(f, partitionLayout(parts, n)) as NumColumn[];
    const lists = partitionIndices(parts, n);
    pieces.forEach((p, j) => {
      const got = new BigUint64Array(p.values.buffer, p.values.byteOffset, p.length);
      expect(Array.from(got)).toEqual(Array.from(lists[j] as Int32Array, (i) => bits[i]));
    });
  });

  it("strings of every length, each piece in buffers of its own (so sizing, moving or freeing a piece is its alone)", () => {
    const words = Array.from({ length: rows }, (_, i) => (i % 9 === 0 ? null : "x".repeat(i % 40) + String(i)));
    const c = col("utf8", words) as StrColumn;
    const pieces = expectPiecesMatchTakes(c, parts, n) as StrColumn[];
    let total = 0;
    for (const p of pieces) {
      expect(p.offsets[0]).toBe(0);
      expect(p.bytes.byteLength).toBe(p.offsets[p.length]);
      total += p.bytes.byteLength;
    }
    expect(total).toBe(c.offsets[rows]! - c.offsets[0]!);
    for (const p of pieces) {
      expect(p.bytes.buffer.byteLength).toBe(p.bytes.byteLength);
      expect(p.offsets.buffer.byteLength).toBe(4 * (p.length + 1));
    }
  });

  it("dictionary columns keep their dictionary and their nulls", () => {
    const words = ["a", "bb", "ccc", "a-much-longer-entry-than-sixteen-bytes"];
    const c = dictCol(words, Array.from({ length: rows }, (_, i) => (i % 13 === 0 ? null : Math.floor(r() * words.length))));
    const pieces = expectPiecesMatchTakes(c, parts, n);
    for (const p of pieces) expect(p.kind === "dict" && p.dict).toBe(c.dict);
  });

  it("zero rows give n empty pieces", () => {
    const pieces = scatterColumn(col("int32", []), partitionLayout(new Uint32Array(0), 3));
    expect(pieces.map((p) => p.length)).toEqual([0, 0, 0]);
  });
});
