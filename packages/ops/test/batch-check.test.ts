// Memory sources: a shipped Batch is accepted as the planner builds it, and refused when any length it states lies.
import { describe, expect, it } from "vitest";
import { batchFromColumns, sliceBatch } from "@tessera/kernels";
import type { Batch } from "@tessera/kernels";
import { OP_CONTRACTS, validateArgs } from "@tessera/ops";

const memoryTask = (data: unknown): unknown => ({ source: { type: "memory", ref: "m/0", data }, steps: [], fields: [] });
const check = (data: unknown): string | null => {
  try {
    validateArgs("pipeline", OP_CONTRACTS.pipeline, memoryTask(data));
    return null;
  } catch (e) {
    expect(e).toMatchObject({ code: "BAD_OP_ARGS", details: { op: "pipeline" } });
    return (e as Error).message;
  }
};
const good = (): Batch => batchFromColumns({ x: [1.5, null, 3], s: ["a", "bb", null], n: [1n, 2n, 3n], b: [true, false, true] });
/** A copy of `b` whose column `i` is replaced by `f(column)`. */
const withColumn = (b: Batch, i: number, f: (c: Record<string, unknown>) => Record<string, unknown>): unknown =>
  ({ ...b, columns: b.columns.map((c, j) => (j === i ? f({ ...c }) : c)) });

describe("a shipped batch", () => {
  it("is accepted as built, sliced, or without rows", () => {
    expect(check(good())).toBeNull();
    expect(check(sliceBatch(good(), 1, 3))).toBeNull();
    expect(check(sliceBatch(good(), 3, 3))).toBeNull();
    expect(check({ fields: [], columns: [], length: 5 })).toBeNull();
  });

  it.each([
    ["a row count the columns do not have", { ...good(), length: 2 ** 30 }, /\.length: expected 1073741824|\.columns: \[0\]\.length/],
    ["a column-less batch claiming 2^30 rows", { fields: [], columns: [], length: 2 ** 30 }, /without columns has at most/],
    ["values shorter than the length", withColumn(good(), 0, (c) => ({ ...c, values: new Float64Array(1) })), /\.values: expected a Float64Array of 3/],
    ["values of another type", withColumn(good(), 0, (c) => ({ ...c, values: new Int32Array(3) })), /\.values: expected a Float64Array/],
    ["a column type unlike its field", withColumn(good(), 0, (c) => ({ ...c, type: "int32", values: new Int32Array(3) })), /\.type: expected float64/],
    ["offsets past the bytes", withColumn(good(), 1, (c) => ({ ...c, offsets: new Int32Array([0, 1, 3, 1000]) })), /outside the bytes/],
    ["decreasing offsets", withColumn(good(), 1, (c) => ({ ...c, offsets: new Int32Array([0, 3, 1, 3]) })), /decreasing/],
    ["a validity of another length", withColumn(good(), 0, (c) => ({ ...c, valid: new Uint8Array(2) })), /\.valid: expected null or a Uint8Array of 3/],
    ["an extra field in a column", withColumn(good(), 0, (c) => ({ ...c, evil: 1 })), /unexpected field "evil"/],
    ["a column missing", { ...good(), columns: good().columns.slice(1) }, /expected 4 columns/],
    ["a negative length", { fields: [], columns: [], length: -1 }, /\.length/],
  ])("is refused with %s", (_what, data, message) => {
    expect(check(data)).toMatch(message);
  });

  it("with dictionary columns: indices must fall inside the dictionary", () => {
    const dict: unknown = batchFromColumns({ d: ["x", "y"] }).columns[0];
    const field = [{ name: "d", type: "utf8", nullable: false }];
    const col = (indices: Int32Array): unknown => ({ kind: "dict", type: "utf8", length: indices.length, indices, dict, valid: null });
    expect(check({ fields: field, columns: [col(new Int32Array([0, 1, 1]))], length: 3 })).toBeNull();
    expect(check({ fields: field, columns: [col(new Int32Array([0, 2]))], length: 2 })).toMatch(/2 at row 1 is outside the dictionary of 2/);
    expect(check({ fields: field, columns: [col(new Int32Array([-1]))], length: 1 })).toMatch(/outside the dictionary/);
  });
});
