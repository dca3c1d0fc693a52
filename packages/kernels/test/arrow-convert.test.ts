// Arrow ↔ Batch conversion: offsets, null bitmaps, dictionaries, temporal units and round trips.
import { describe, expect, it } from "vitest";
import * as arrow from "apache-arrow";
import { batchFromArrow, batchToArrow, batchFromColumns, columnToArray, tableFromBatches, type Column, type DictColumn } from "@tessera/kernels";

function vec<T extends arrow.DataType>(type: T, values: unknown[]): arrow.Vector<T> {
  return arrow.vectorFromArray(values as never, type) as arrow.Vector<T>;
}

describe("batchFromArrow", () => {
  it("reads ints, floats, bools and strings with nulls", () => {
    const table = new arrow.Table({
      i: vec(new arrow.Int32(), [1, null, 3, -4]),
      f: vec(new arrow.Float64(), [1.5, 2.5, null, 4]),
      b: vec(new arrow.Bool(), [true, false, null, true]),
      s: vec(new arrow.Utf8(), ["a", null, "héllo", ""]),
      l: vec(new arrow.Int64(), [1n, 2n, null, -(2n ** 40n)]),
    });
    const b = batchFromArrow(table);
    expect(b.length).toBe(4);
    expect(b.fields.map((f) => f.type)).toEqual(["int32", "float64", "bool", "utf8", "int64"]);
    expect(columnToArray(b.columns[0] as Column)).toEqual([1, null, 3, -4]);
    expect(columnToArray(b.columns[1] as Column)).toEqual([1.5, 2.5, null, 4]);
    expect(columnToArray(b.columns[2] as Column)).toEqual([true, false, null, true]);
    expect(columnToArray(b.columns[3] as Column)).toEqual(["a", null, "héllo", ""]);
    expect(columnToArray(b.columns[4] as Column)).toEqual([1, 2, null, -(2 ** 40)]);
  });

  it("honours slice offsets (bitmaps at a bit offset, values and string offsets)", () => {
    const rb = new arrow.Table({
      b: vec(new arrow.Bool(), [true, false, true, null, false, true, true, false, null, true, false]),
      s: vec(new arrow.Utf8(), ["zero", "one", null, "three", "four", "five", "six", "seven", "eight", null, "ten"]),
      x: vec(new arrow.Int16(), [0, 1, 2, 3, null, 5, 6, 7, 8, 9, 10]),
    }).slice(3, 10);
    const b = batchFromArrow(rb);
    expect(b.length).toBe(7);
    expect(columnToArray(b.columns[0] as Column)).toEqual([null, false, true, true, false, null, true]);
    expect(columnToArray(b.columns[1] as Column)).toEqual(["three", "four", "five", "six", "seven", "eight", null]);
    expect(columnToArray(b.columns[2] as Column)).toEqual([3, null, 5, 6, 7, 8, 9]);
  });

  it("reads dictionaries as DictColumn and temporal types with their units", () => {
    const dict = vec(new arrow.Dictionary(new arrow.Utf8(), new arrow.Int8()), ["x", "y", null, "x"]);
    const table = new arrow.Table({
      d: dict,
      day: vec(new arrow.DateDay(), [new Date(Date.UTC(2020, 0, 2)), null, new Date(0), new Date(Date.UTC(1969, 11, 31))]),
      ms: vec(new arrow.DateMillisecond(), [new Date(5000), new Date(0), null, new Date(-1000)]),
      ts: vec(new arrow.TimestampMicrosecond(), [1000, 2000, null, 3000]),
      nul: arrow.makeVector(arrow.makeData({ type: new arrow.Null(), length: 4 })),
    });
    const b = batchFromArrow(table);
    expect(b.fields.map((f) => f.type)).toEqual(["utf8", "date32", "timestamp[ms]", "timestamp[us]", "null"]);
    const d = b.columns[0] as DictColumn;
    expect(d.kind).toBe("dict");
    expect(d.indices).toBeInstanceOf(Int32Array);
    expect(columnToArray(d)).toEqual(["x", "y", null, "x"]);
    expect(columnToArray(b.columns[1] as Column)).toEqual([18263, null, 0, -1]);
    expect(columnToArray(b.columns[2] as Column)).toEqual([5000, 0, null, -1000]);
    expect((b.columns[3] as Column).kind).toBe("num");
    expect(columnToArray(b.columns[4] as Column)).toEqual([null, null, null, null]);
  });

  it("concatenates a multi-batch table, keeping a shared dictionary shared", () => {
    const b1 = batchFromColumns({ k: ["a", "b"], v: [1, 2] });
    const b2 = batchFromColumns({ k: ["c", null], v: [3, null] });
    const t = tableFromBatches([b1, b2]);
    expect(t.batches.length).toBe(2);
    const back = batchFromArrow(t);
    expect(columnToArray(back.columns[0] as Column)).toEqual(["a", "b", "c", null]);
    expect(columnToArray(back.columns[1] as Column)).toEqual([1, 2, 3, null]);
  });

  it("is zero-copy for fixed-width columns", () => {
    const data = new Float64Array([1, 2, 3, 4]);
    const t = new arrow.Table({ x: arrow.makeVector(data) });
    const b = batchFromArrow(t);
    const col = b.columns[0] as Column;
    expect(col.kind === "num" && col.values.buffer).toBe(data.buffer);
  });
});

describe("batchToArrow / tableFromBatches", () => {
  it("round-trips every type through arrow IPC", () => {
    const b = batchFromColumns(
      {
        i: [1, null, -3], f: [0.5, null, 2], s: ["x", "yy", null], bo: [true, null, false],
        d: [1, 2, null], ts: [10n, null, -5n], u: [1, 2, 3],
      },
      { i: "int32", d: "date32", ts: "timestamp[ns]", u: "uint16" },
    );
    const bytes = arrow.tableToIPC(tableFromBatches([b]));
    const back = batchFromArrow(arrow.tableFromIPC(bytes));
    expect(back.fields.map((f) => f.type)).toEqual(["int32", "float64", "utf8", "bool", "date32", "timestamp[ns]", "uint16"]);
    back.columns.forEach((c, k) => expect(columnToArray(c)).toEqual(columnToArray(b.columns[k] as Column)));
  });

  it("writes dict columns as dictionaries, merging different dictionaries across batches", () => {
    const mk = (dict: string[], idx: number[]): DictColumn => {
      const s = batchFromColumns({ s: dict }).columns[0] as Column;
      if (s.kind !== "str") throw new Error("expected str");
      return { kind: "dict", type: "utf8", length: idx.length, indices: Int32Array.from(idx), dict: s, valid: null };
    };
    const f = [{ name: "k", type: "utf8" as const, nullable: false }];
    const t = tableFromBatches([
      { fields: f, columns: [mk(["a", "b"], [1, 0, 1])], length: 3 },
      { fields: f, columns: [mk(["c", "a"], [0, 1])], length: 2 },
    ]);
    expect(t.schema.fields[0]?.type.typeId).toBe(arrow.Type.Dictionary);
    const back = batchFromArrow(arrow.tableFromIPC(arrow.tableToIPC(t, "file")));
    expect(columnToArray(back.columns[0] as Column)).toEqual(["b", "a", "b", "c", "a"]);
  });

  it("appends batches' dictionaries on request: no hashing, indices offset, a shared dictionary appended once, IPC deltas", () => {
    const mk = (dict: string[], idx: number[]): DictColumn => {
      const s = batchFromColumns({ s: dict }).columns[0] as Column;
      if (s.kind !== "str") throw new Error("expected str");
      return { kind: "dict", type: "utf8", length: idx.length, indices: Int32Array.from(idx), dict: s, valid: null };
    };
    const f = [{ name: "k", type: "utf8" as const, nullable: true }];
    const first = mk(["a", "b"], [1, 0, 1]);
    const t = tableFromBatches([
      { fields: f, columns: [first], length: 3 },
      { fields: f, columns: [{ ...mk(["c", "a"], [0, 1, 1]), valid: Uint8Array.of(1, 0, 1) }], length: 3 },
      { fields: f, columns: [{ ...first, length: 1, indices: Int32Array.of(0) }], length: 1 },
    ], undefined, { dictionaries: "append" });
    const k = t.getChild("k") as arrow.Vector;
    expect(k.data.map((d) => d.dictionary)).toEqual(k.data.map(() => k.data[0]?.dictionary));
    expect([...(k.data[0]?.dictionary as arrow.Vector)]).toEqual(["a", "b", "c", "a"]);
    expect(k.data.map((d) => Array.from(d.values as Int32Array))).toEqual([[1, 0, 1], [2, 3, 3], [0]]);
    expect(k.data[0]?.values).toBe(first.indices);
    const want = ["b", "a", "b", "c", null, "a", "a"];
    expect([...k]).toEqual(want);
    for (const format of ["file", "stream"] as const) {
      const back = arrow.tableFromIPC(arrow.tableToIPC(t, format));
      expect([...(back.getChild("k") as arrow.Vector)]).toEqual(want);
      expect(columnToArray(batchFromArrow(back).columns[0] as Column)).toEqual(want);
    }
  });

  it("makes an empty table with the fields when there are no batches", () => {
    const t = tableFromBatches([], [{ name: "a", type: "int64", nullable: true }, { name: "s", type: "utf8", nullable: false }]);
    expect(t.numRows).toBe(0);
    expect(t.schema.fields.map((x) => x.name)).toEqual(["a", "s"]);
    expect(batchFromArrow(t).fields.map((x) => x.type)).toEqual(["int64", "utf8"]);
  });
});
