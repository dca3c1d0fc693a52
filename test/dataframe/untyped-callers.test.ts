// Untyped JavaScript callers: every name a plan carries (types, functions, aggregates, options) fails at plan time,
// before any task runs, with an error listing the valid choices.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Expr, LocalCluster, col, fromColumns, lit, scanCsv } from "tessera";
import type { ExprNode, LazyFrame } from "tessera";
import { failure } from "../support/engine.js";
import { tempDir } from "../support/files.js";

let cluster: LocalCluster;
let jobs = 0;
/** A client that counts what reaches it: a plan error must come before anything does. */
let client: { run: LocalCluster["client"]["run"]; close(): Promise<void> };
const frame = (): LazyFrame => fromColumns({ t: [1, 2, 3], v: [1.5, 2.5, 3.5], s: ["a", "b", "c"] });
const raw = (node: unknown): Expr => new Expr(node as ExprNode);

beforeAll(async () => {
  cluster = await LocalCluster.start({ workers: 1, threads: 0, processes: false });
  client = { run: (g, o) => { jobs++; return cluster.client.run(g, o); }, close: async () => {} };
});
afterAll(async () => { await cluster?.close(); });

async function planError(f: () => unknown, code: string, lists: readonly string[]): Promise<string> {
  const before = jobs;
  const e = await failure(f);
  expect(e.name).toBe("PlanError");
  expect(e.code).toBe(code);
  for (const choice of lists) expect(e.message).toContain(choice);
  expect(jobs).toBe(before);
  return e.message;
}

describe("names in expressions", () => {
  it('col("t").cast("timestamp_ms") fails at plan time, listing the types (it used to fail at run time as an InternalError)', async () => {
    const msg = await planError(() => frame().select(col("t").cast("timestamp_ms" as never)).collect({ client }), "UNKNOWN_TYPE", ["timestamp[ms]", "int64", "utf8"]);
    expect(msg).toContain('"timestamp_ms"');
    await planError(() => frame().select(col("t").cast("timestamp_ms" as never)).schema(), "UNKNOWN_TYPE", ["timestamp[ms]"]);
  });

  it("a literal's type, an aggregate, a function and an expression kind the engine does not know", async () => {
    await planError(() => frame().select(lit(1, "int" as never).alias("x")).collect({ client }), "UNKNOWN_TYPE", ["int32", "int64"]);
    await planError(() => frame().select(raw({ op: "agg", fn: "avg", args: [{ op: "col", name: "v" }] })).collect({ client }), "UNKNOWN_AGGREGATE", ["mean", "median"]);
    await planError(() => frame().select(raw({ op: "unary", fn: "cbrt", arg: { op: "col", name: "v" } })).collect({ client }), "UNKNOWN_FUNCTION", ["sqrt", "asinh"]);
    await planError(() => frame().select(raw({ op: "binary", fn: "xor", left: { op: "col", name: "t" }, right: { op: "col", name: "t" } })).collect({ client }), "UNKNOWN_FUNCTION", ["bitAnd", "shiftRight"]);
    await planError(() => frame().select(raw({ op: "regex", arg: { op: "col", name: "s" } })).collect({ client }), "UNKNOWN_EXPRESSION", ["strPred", "truncate"]);
    await planError(() => frame().filter(raw({ op: "strPred", fn: "endsWith", arg: { op: "col", name: "s" }, pattern: "a" })).collect({ client }), "UNKNOWN_FUNCTION", ["contains", "startsWith"]);
  });

  it("an aggregate with the wrong number of arguments, or a quantile out of range", async () => {
    await planError(() => frame().select(raw({ op: "agg", fn: "sum", args: [] })).collect({ client }), "BAD_ARGUMENT", ["sum takes 1"]);
    await planError(() => frame().select(raw({ op: "agg", fn: "quantile", args: [{ op: "col", name: "v" }], q: 2 })).collect({ client }), "BAD_ARGUMENT", ["0 <= q <= 1"]);
  });
});

describe("options of frame verbs", () => {
  it("join how, sort flags, unique keep, aggregation strategy, limit and repartition counts", async () => {
    await planError(() => frame().join(frame(), { on: "t", how: "outer" as never }).collect({ client }), "BAD_OPTION", ["inner", "left", "full", "anti"]);
    await planError(() => frame().sort("t", { descending: "yes" as never }).collect({ client }), "BAD_OPTION", ["sort descending", '"y"']);
    await planError(() => frame().unique({ keep: "any" as never }).collect({ client }), "BAD_OPTION", ["first", "last"]);
    await planError(() => frame().groupBy("s").strategy("fast" as never).agg(col("v").sum()).collect({ client }), "BAD_OPTION", ["auto", "tree", "shuffle"]);
    await planError(() => frame().rename({ t: 5 as never }).collect({ client }), "BAD_OPTION", ["rename"]);
  });

  it("a mapBatches schema with an unknown type", async () => {
    await planError(() => frame().mapBatches("some-package#f", { schema: [{ name: "x", type: "float" as never, nullable: false }] }).collect({ client }), "UNKNOWN_TYPE", ["float32", "float64"]);
  });

  it("a CSV delimiter of two characters fails before the file is opened", async () => {
    const path = join(tempDir("untyped"), "never-created.csv");
    await planError(() => scanCsv(path, { delimiter: ";;" }).collect({ client }), "BAD_OPTION", ["one character"]);
    expect(existsSync(path)).toBe(false);
  });

  it("sink compression, partition columns and row-group size; nothing is written", async () => {
    const out = join(tempDir("untyped-sink"), "out");
    await planError(() => frame().sinkParquet(out, { compression: "gzip" as never, client }), "BAD_OPTION", ["zstd", "snappy", "none"]);
    await planError(() => frame().sinkParquet(out, { rowGroupSize: 0, client }), "BAD_OPTION", ["rowGroupSize"]);
    await planError(() => frame().sinkParquet(out, { partitionBy: ["t", "v", "s"], client }), "BAD_OPTION", ["every column"]);
    expect(existsSync(out)).toBe(false);
  });
});
