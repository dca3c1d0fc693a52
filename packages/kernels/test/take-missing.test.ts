// Takes by an index array holding -1 (null rows): whether it holds one is asked once per array (hasMissing) and
// passed to every column's take; a column without a validity of its own gets one exactly where the -1s are.
import { describe, expect, it } from "vitest";
import { columnFromValues, columnToArray, takeBatch, type Batch } from "@tessera/kernels";
import { hasMissing, takeColumn } from "../src/take.js";

describe("takes with null rows", () => {
  const ints = columnFromValues("int32", [10, 11, 12, 13]);
  const strs = columnFromValues("utf8", ["a", "bb", "ccc", "dddd"]);

  it("hasMissing finds a -1 anywhere, and only a -1", () => {
    expect(hasMissing(Int32Array.of(0, 1, 2))).toBe(false);
    expect(hasMissing(Int32Array.of(0, 1, -1))).toBe(true);
    expect(hasMissing(Int32Array.of(-1))).toBe(true);
    expect(hasMissing(new Int32Array(0))).toBe(false);
  });

  it("a take told of its -1s gives null rows there; the default asks the array itself", () => {
    const idx = Int32Array.of(3, -1, 0, -1, 2);
    expect(columnToArray(takeColumn(ints, idx, true))).toEqual([13, null, 10, null, 12]);
    expect(columnToArray(takeColumn(strs, idx))).toEqual(["dddd", null, "a", null, "ccc"]);
    expect(takeColumn(ints, Int32Array.of(1, 2), false).valid).toBeNull();
  });

  it("takeBatch marks fields nullable and every column null at the -1 rows", () => {
    const b: Batch = { fields: [{ name: "i", type: "int32", nullable: false }, { name: "s", type: "utf8", nullable: false }], columns: [ints, strs], length: 4 };
    const out = takeBatch(b, Int32Array.of(-1, 1));
    expect(out.fields.map((f) => f.nullable)).toEqual([true, true]);
    expect(out.columns.map((c) => columnToArray(c))).toEqual([[null, 11], [null, "bb"]]);
  });
});
