// Batch utilities: slice, take (with -1 = null), filter, concat (dict handling), select/rename, bytes and transferables.
import { describe, expect, it } from "vitest";
import {
  batchBytes, batchFromColumns, batchToColumns, batchTransferables, columnFromValues, columnToArray, concatBatches,
  emptyBatch, enableScratch, filterBatch, getColumn, maskToIndices, reclaimScratch, renameColumns, scratchArray, selectColumns, sliceBatch,
  takeBatch, type Column, type DictColumn,
} from "@tessera/kernels";
import { batchOf, dictCol } from "./helpers.js";

const sample = () => batchFromColumns({ a: [1, 2, null, 4, 5], s: ["x", null, "zz", "", "w"] }, { a: "int32" });

describe("row selection", () => {
  it("slices without copying", () => {
    const b = sample();
    const s = sliceBatch(b, 1, 4);
    expect(batchToColumns(s)).toEqual({ a: [2, null, 4], s: [null, "zz", ""] });
    const a = getColumn(s, "a");
    expect(a.kind === "num" && a.values.buffer).toBe((getColumn(b, "a") as { values: Int32Array }).values.buffer);
  });

  it("takes rows by index with -1 producing null rows", () => {
    const b = batchOf({ a: columnFromValues("int64", [10, 20, 30]), s: columnFromValues("utf8", ["p", "q", "r"]), d: dictCol(["u", "v"], [1, 0, 1]) });
    const t = takeBatch(b, Int32Array.from([2, -1, 0, 0]));
    expect(batchToColumns(t)).toEqual({ a: [30, null, 10, 10], s: ["r", null, "p", "p"], d: ["v", null, "v", "v"] });
    expect(t.fields.every((f) => f.nullable)).toBe(true);
  });

  it("filters by mask", () => {
    const t = filterBatch(sample(), Uint8Array.from([1, 0, 1, 0, 1]));
    expect(batchToColumns(t)).toEqual({ a: [1, null, 5], s: ["x", "zz", "w"] });
  });

  it("a mask keeping every row returns the batch itself; indices come from scratch memory whatever it held", () => {
    const b = sample();
    expect(filterBatch(b, Uint8Array.from([1, 2, 1, 255, 1]))).toBe(b);
    expect(filterBatch(b, new Uint8Array(5)).length).toBe(0);
    enableScratch(true);
    try {
      const n = 100_000;
      const big = batchFromColumns({ a: Array.from({ length: n }, (_, i) => i) }, { a: "int32" });
      const mask = new Uint8Array(n);
      for (let i = 0; i < n; i += 3) mask[i] = 7;
      for (let round = 0; round < 2; round++) {
        reclaimScratch();
        scratchArray(Int32Array, 40_000, false).fill(-5);  // garbage where the indices will go
        reclaimScratch();
        expect(maskToIndices(mask).length).toBe(Math.ceil(n / 3));
        const kept = batchToColumns(filterBatch(big, mask)).a as number[];
        expect(kept.length).toBe(Math.ceil(n / 3));
        expect(kept.every((v, k) => v === 3 * k)).toBe(true);
      }
    } finally {
      enableScratch(false);
    }
  });
});

describe("concatBatches", () => {
  it("concatenates num and str columns with nulls", () => {
    const b = sample();
    const c = concatBatches([b, sliceBatch(b, 2, 5), emptyBatch(b.fields)]);
    expect(batchToColumns(c)).toEqual({ a: [1, 2, null, 4, 5, null, 4, 5], s: ["x", null, "zz", "", "w", "zz", "", "w"] });
  });

  it("reuses a shared dictionary and appends different ones (each once, no hashing)", () => {
    const d1 = dictCol(["a", "b"], [0, 1, null]);
    const shared = { ...d1, indices: Int32Array.from([1, 1]), length: 2, valid: null };
    const same = concatBatches([batchOf({ k: d1 }), batchOf({ k: shared })]).columns[0] as DictColumn;
    expect(same.dict).toBe(d1.dict);
    expect(columnToArray(same)).toEqual(["a", "b", null, "b", "b"]);
    const d2 = dictCol(["b", "c", "a"], [2, 1, 0]);
    const merged = concatBatches([batchOf({ k: d1 }), batchOf({ k: d2 })]).columns[0] as DictColumn;
    expect(merged.kind).toBe("dict");
    expect(columnToArray(merged.dict)).toEqual(["a", "b", "b", "c", "a"]);
    expect(columnToArray(merged)).toEqual(["a", "b", null, "a", "c", "b"]);
    const thrice = concatBatches([batchOf({ k: d1 }), batchOf({ k: d2 }), batchOf({ k: shared })]).columns[0] as DictColumn;
    expect(thrice.dict.length).toBe(5);
    expect(columnToArray(thrice)).toEqual(["a", "b", null, "a", "c", "b", "b", "b"]);
  });

  it("compacts a dictionary far larger than its rows before appending it", () => {
    const words = Array.from({ length: 1000 }, (_, i) => `w${i}`);
    const big = dictCol(words, [999, 5]);
    const small = dictCol(["x"], [0]);
    const merged = concatBatches([batchOf({ k: big }), batchOf({ k: small })]).columns[0] as DictColumn;
    expect(columnToArray(merged)).toEqual(["w999", "w5", "x"]);
    expect(merged.dict.length).toBe(3);
  });

  it("decodes to plain strings when dict and plain inputs mix", () => {
    const out = concatBatches([batchOf({ k: dictCol(["a"], [0, 0]) }), batchOf({ k: columnFromValues("utf8", ["q", null]) })]).columns[0] as Column;
    expect(out.kind).toBe("str");
    expect(columnToArray(out)).toEqual(["a", "a", "q", null]);
  });

  it("gives an empty batch of the fields for no batches", () => {
    const c = concatBatches([], [{ name: "x", type: "float64", nullable: true }]);
    expect(c.length).toBe(0);
    expect(c.fields[0]?.name).toBe("x");
  });
});

describe("columns and accounting", () => {
  it("selects and renames", () => {
    const b = sample();
    expect(selectColumns(b, ["s", "a"]).fields.map((f) => f.name)).toEqual(["s", "a"]);
    expect(renameColumns(b, { a: "b" }).fields.map((f) => f.name)).toEqual(["b", "s"]);
    expect(() => getColumn(b, "nope")).toThrow(/nope/);
  });

  it("counts bytes and lists distinct transferable buffers", () => {
    const values = new Float64Array(8);
    const b = batchOf({
      x: { kind: "num", type: "float64", length: 4, values: values.subarray(0, 4), valid: null },
      y: { kind: "num", type: "float64", length: 4, values: values.subarray(4, 8), valid: new Uint8Array(4).fill(1) },
      s: { kind: "num", type: "float64", length: 4, values: new Float64Array(new SharedArrayBuffer(32)), valid: null },
    });
    expect(batchBytes(b)).toBe(32 + 32 + 4 + 32);
    const t = batchTransferables(b);
    expect(t).toHaveLength(2);
    expect(t).toContain(values.buffer);
  });
});
