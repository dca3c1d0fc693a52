// The op table: production ops only unless a module is injected; args are checked before a handler runs.
import { afterAll, describe, expect, it } from "vitest";
import { MAX_SPLIT, OP_NAMES } from "@tessera/ops";
import { InlineRunner, OpRegistry, PRODUCTION_OPS, ThreadPool } from "@tessera/worker";
import { MAX_TEST_ARRAY, TEST_OPS, TEST_OPS_MODULE } from "@tessera/worker/testing";

const TEST_OP_NAMES = Object.keys(TEST_OPS);

describe("the production op table", () => {
  it("holds exactly the production ops, none of the test ops", () => {
    expect(Object.keys(PRODUCTION_OPS).sort()).toEqual([...OP_NAMES].sort());
    expect(TEST_OP_NAMES).toEqual(expect.arrayContaining(["noop", "sleep", "make-array", "fail", "sum-inputs", "thread-id"]));
    for (const name of TEST_OP_NAMES) expect(OpRegistry.production.has(name)).toBe(false);
  });

  it("a runner without op modules refuses the test ops as UNKNOWN_OP; with the module it runs them", async () => {
    await expect(new InlineRunner().run({ key: "n", op: "make-array", args: { n: 4 }, inputs: [] })).rejects.toMatchObject({ code: "UNKNOWN_OP" });
    const injected = new InlineRunner({ opModules: [TEST_OPS_MODULE] });
    expect(await injected.run({ key: "s", op: "sum-inputs", args: 1, inputs: [2] })).toBe(3);
  });

  it("refuses an op module that redefines a production op", async () => {
    const evil = `data:text/javascript,export const ops = { pick: { run: () => 1, storage: () => ({ reads: [], writes: [] }) } };`;
    await expect(OpRegistry.load([evil])).rejects.toMatchObject({ code: "BAD_OP_MODULE" });
  });
});

describe("op args off the wire", () => {
  const pool = new ThreadPool({ threads: 1, opModules: [TEST_OPS_MODULE] });
  afterAll(() => pool.close());

  const malformed: [string, unknown][] = [
    ["pipeline", {}],
    ["pipeline", { source: { type: "inputs", count: 1, fields: [] }, steps: [{ t: "explode" }], fields: [] }],
    ["pipeline", { source: { type: "inputs", count: 1, fields: [] }, steps: [{ t: "hashSplit", keys: ["k"], n: MAX_SPLIT + 1 }], fields: [] }],
    ["pipeline", { source: { type: "inputs", count: 1, fields: [] }, steps: [{ t: "filter", predicate: { op: "eval", code: "1" } }], fields: [] }],
    ["pick", { index: -1 }],
    ["range-bounds", { spec: { by: ["a"], descending: [false], nullsLast: [true] }, n: 1e9 }],
    ["sink-part", { url: "file:///tmp/x", format: "xlsx", index: 0, token: "t", partitionBy: [], fields: [], compression: "zstd", rowGroupSize: 10 }],
    ["make-array", { n: MAX_TEST_ARRAY + 1 }],
    ["sleep", { ms: "forever" }],
  ];

  it.each(malformed)("%s with malformed args fails with BAD_OP_ARGS naming the op, and the thread keeps working", async (op, args) => {
    await expect(pool.run({ key: "bad", op, args, inputs: [] })).rejects.toMatchObject({
      code: "BAD_OP_ARGS", category: "execution", message: expect.stringContaining(`op ${op}: bad args: `),
    });
    expect(await pool.run({ key: "ok", op: "sum-inputs", args: 2, inputs: [3] })).toBe(5);
  });

  it("lists the storage a task reads and writes", () => {
    const fields = [{ name: "a", type: "int32", nullable: true }];
    const pipeline = {
      source: { type: "parquet", pieces: [{ url: "file:///d/0.parquet", rowGroups: [0], hive: [] }, { url: "file:///d/1.parquet", rowGroups: [0, 1], hive: [] }], columns: ["a"], limit: null, fields },
      steps: [], fields,
    };
    expect(PRODUCTION_OPS["pipeline"]?.storage(pipeline)).toEqual({ reads: ["file:///d/0.parquet", "file:///d/1.parquet"], writes: [] });
    const part = { url: "s3://b/out", format: "parquet", index: 0, token: "t", partitionBy: [], fields, compression: "zstd", rowGroupSize: 10 };
    expect(PRODUCTION_OPS["sink-part"]?.storage(part)).toEqual({ reads: ["s3://b/out"], writes: ["s3://b/out"] });
    expect(() => PRODUCTION_OPS["sink-part"]?.storage({ ...part, url: 7 })).toThrow(/op sink-part: bad args: \.url/);
  });
});
