// Op contracts: the args checks accept what lowering builds and refuse malformed args, naming the op and the field.
import { describe, expect, it } from "vitest";
import { col, lit, when } from "@tessera/expr";
import { MAX_SPLIT, OP_CONTRACTS, OP_NAMES, storageOf, validateArgs } from "@tessera/ops";
import type { PipelineArgs } from "@tessera/ops";

const fields = [{ name: "k", type: "utf8", nullable: true }, { name: "v", type: "float64", nullable: false }] as const;
const pipeline = (steps: unknown[]): unknown => ({ source: { type: "inputs", count: 1, fields }, steps, fields });

describe("op contracts", () => {
  it("cover exactly the ops of OpArgs", () => {
    expect([...OP_NAMES].sort()).toEqual(["merge-sorted", "pick", "pipeline", "range-bounds", "sink-commit", "sink-part"]);
  });

  it("accept a pipeline of every expression kind and aggregate steps", () => {
    const pred = when(col("v").gt(5)).then(lit(true)).otherwise(col("k").str.contains("x")).node;
    const spec = { keys: ["k"], aggs: [{ fn: "quantile", inputs: ["v"], q: 0.3, name: "q", out: "float64" }] };
    const args = pipeline([
      { t: "filter", predicate: pred }, { t: "project", exprs: [col("v").cast("int64").alias("i").node, col("k").isIn(["a", null]).node] },
      { t: "aggFull", spec }, { t: "hashSplit", keys: ["k"], n: MAX_SPLIT },
    ]);
    expect(validateArgs("pipeline", OP_CONTRACTS.pipeline, args)).toBe(args as PipelineArgs);
  });

  it.each([
    ["an unknown expression op", pipeline([{ t: "filter", predicate: { op: "js", source: "process.exit()" } }]), /\.steps: \[0\]: \.predicate: unknown op "js"/],
    ["an extra field", pipeline([{ t: "limit", n: 1, offset: 0, code: "x" }]), /unexpected field "code"/],
    ["a step kind that is not a string", pipeline([{ t: 2n ** 62n }]), /\.steps: \[0\]: unknown t \(bigint\)/],
    ["an infinite integer literal", pipeline([{ t: "filter", predicate: { op: "lit", value: Number.POSITIVE_INFINITY, dtype: "int64" } }]), /\.value: Infinity is not a int64/],
    ["a sum of two columns", pipeline([{ t: "aggFull", spec: { keys: [], aggs: [{ fn: "sum", inputs: ["v", "v"], name: "s", out: "float64" }] } }]), /\.inputs: sum takes 1, got 2/],
    ["a split past the piece budget", { ...(pipeline([{ t: "evenSplit", n: MAX_SPLIT }]) as object), fields: Array.from({ length: 64 }, (_, i) => ({ name: `c${i}`, type: "float64", nullable: true })) }, /65536 partitions of 64 columns exceed/],
    ["a split past the bound", pipeline([{ t: "evenSplit", n: MAX_SPLIT + 1 }]), /\.n: 65537 is outside/],
    ["an unknown type", { source: { type: "inputs", count: 1, fields: [{ name: "a", type: "decimal", nullable: true }] }, steps: [], fields: [] }, /\.type: expected one of/],
    ["a quantile outside [0, 1]", pipeline([{ t: "aggFull", spec: { keys: [], aggs: [{ fn: "quantile", inputs: ["v"], q: 2, name: "q", out: "float64" }] } }]), /\[0, 1\]/],
  ])("refuse %s with BAD_OP_ARGS naming the op", (_what, args, message) => {
    let err: unknown;
    try { validateArgs("pipeline", OP_CONTRACTS.pipeline, args); } catch (e) { err = e; }
    expect(err).toMatchObject({ code: "BAD_OP_ARGS", category: "execution", details: { op: "pipeline" } });
    expect((err as Error).message).toMatch(/^op pipeline: bad args: /);
    expect((err as Error).message).toMatch(message);
  });

  it("storageOf checks the args and refuses ops that are not production ops", () => {
    expect(storageOf("sink-commit", { url: "s3://b/d", format: "csv", token: "t", fields })).toEqual({ reads: ["s3://b/d"], writes: [] });
    expect(storageOf("pick", { index: 3 })).toEqual({ reads: [], writes: [] });
    expect(() => storageOf("noop", null)).toThrow(expect.objectContaining({ code: "UNKNOWN_OP" }));
    expect(() => storageOf("pick", { index: "3" })).toThrow(expect.objectContaining({ code: "BAD_OP_ARGS" }));
  });
});
