// Optimized plans return the same rows as the plans they came from: random plans run by a reference interpreter.
import { describe, expect, it } from "vitest";
import type { Field } from "@tessera/common";
import type { ExprNode, LitValue } from "@tessera/expr";
import { col, len, lit } from "@tessera/expr";
import type { Expr } from "@tessera/expr";
import { explainPlan, optimize, schemaOf } from "@tessera/plan";
import type { JoinHow, ParquetFileInfo, PlanNode, RowGroupInfo, ScanNode } from "@tessera/plan";
import { field } from "./optimizer-fixtures.js";
import { runPlan } from "./optimizer-reference.js";
import type { Row } from "./optimizer-reference.js";

/** mulberry32: a small seeded generator, so a failure names a reproducible seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const R = rng(20240611);
const int = (lo: number, hi: number, r = R): number => lo + Math.floor(r() * (hi - lo + 1));
const maybeNull = <T,>(v: T, r = R): T | null => (r() < 0.15 ? null : v);
const STRS = ["x", "y", "z"];

function memory(id: string, fields: Field[], rows: Row[]): ScanNode {
  return { kind: "scan", source: { format: "memory", id, fields, partitions: [rows.slice(0, 8), rows.slice(8)], numRows: rows.length }, projection: null, predicate: null, limit: null };
}

const T = memory("T", [field("a", "int64"), field("b", "int64"), field("s", "utf8")],
  Array.from({ length: 16 }, () => ({ a: maybeNull(int(-3, 6)), b: maybeNull(int(0, 9)), s: maybeNull(STRS[int(0, 2)] as string) })));
const U = memory("U", [field("id", "int64"), field("b", "int64"), field("w", "int64")],
  Array.from({ length: 12 }, () => ({ id: maybeNull(int(-3, 6)), b: maybeNull(int(0, 9)), w: int(0, 5) })));

const DATA = new Map<string, Row[]>();
function parquetSource(): ScanNode {
  const files: ParquetFileInfo[] = [1, 2, null].map((part, fi) => {
    const url = `mem://p/part=${part ?? "__HIVE_DEFAULT_PARTITION__"}/f${fi}.parquet`;
    const rowGroups: RowGroupInfo[] = [0, 1].map((index) => {
      const base = fi * 20 + index * 10;
      const rows = Array.from({ length: 6 }, () => ({ k: maybeNull(base + int(0, 9)), m: maybeNull(STRS[int(0, 2)] as string) }));
      DATA.set(`${url}#${index}`, rows);
      const stat = (c: "k" | "m") => {
        const vs = rows.map((r) => r[c]).filter((v): v is number | string => v !== null).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
        return { min: vs[0] ?? null, max: vs[vs.length - 1] ?? null, nullCount: rows.length - vs.length };
      };
      return { index, numRows: rows.length, bytes: 60, stats: { k: stat("k"), m: stat("m") } };
    });
    return { url, numRows: 12, hive: { part }, rowGroups };
  });
  return { kind: "scan", source: { format: "parquet", files, fileFields: [field("k", "int64"), field("m", "utf8")], hiveFields: [field("part", "int64")], partitions: null }, projection: null, predicate: null, limit: null };
}
const P = parquetSource();

let fresh = 0;
const pickOne = <T,>(xs: readonly T[]): T => xs[int(0, xs.length - 1)] as T;
const intCols = (fs: readonly Field[]): string[] => fs.filter((f) => f.type === "int64").map((f) => f.name);

function randPred(fs: readonly Field[], depth = 0): Expr {
  const roll = R();
  if (depth < 2 && roll < 0.25) {
    const [x, y] = [randPred(fs, depth + 1), randPred(fs, depth + 1)];
    return pickOne([x.and(y), x.or(y), x.not()]);
  }
  const f = pickOne(fs);
  const c = col(f.name);
  const junk = [lit(1).lt(2), lit(null).eq(1), lit(3).add(4).gt(5)];
  if (roll > 0.93) return pickOne(junk);
  if (roll > 0.85) return pickOne([c.isNull(), c.isNotNull()]);
  if (f.type === "utf8") return pickOne([c.eq(pickOne(STRS)), c.neq(pickOne(STRS)), c.lt(pickOne(STRS)), c.isIn(["x", "z"])]);
  if (f.type !== "int64") return c.isNotNull();
  const v = int(-2, 45);
  const ints = intCols(fs);
  return pickOne([c.eq(v), c.gt(v), c.lte(v), lit(v).lt(c), c.between(v, v + 5), c.isIn([v, v + 1, 30]), c.add(1).gt(v), c.neq(col(pickOne(ints))).or(c.lt(3))]);
}

function randOp(p: PlanNode): PlanNode {
  const fs = schemaOf(p);
  const names = fs.map((f) => f.name);
  const ints = intCols(fs);
  switch (int(0, 9)) {
    case 0: case 1: case 2: return { kind: "filter", input: p, predicate: randPred(fs).node };
    case 3: {
      const keep = names.filter(() => R() < 0.6);
      const exprs: ExprNode[] = (keep.length > 0 ? keep : [names[0] as string]).map((n) => (R() < 0.3 ? col(n).alias(`n${fresh++}`).node : col(n).node));
      return { kind: "select", input: p, exprs };
    }
    case 4: return { kind: "withColumns", input: p, exprs: [ints.length > 0 && R() < 0.5 ? col(pickOne(ints)).add(int(0, 3)).alias(R() < 0.3 ? pickOne(ints) : `c${fresh++}`).node : col(pickOne(names)).alias(`c${fresh++}`).node] };
    case 5: return names.length > 1 ? { kind: "drop", input: p, names: [pickOne(names)] } : { kind: "rename", input: p, mapping: { [pickOne(names)]: `r${fresh++}` } };
    case 6: return { kind: "rename", input: p, mapping: { [pickOne(names)]: `r${fresh++}` } };
    case 7: return { kind: "sort", input: { kind: "limit", input: { kind: "sort", input: p, by: names, descending: names.map(() => false), nullsLast: names.map(() => false) }, n: int(0, 8), offset: int(0, 3) }, by: [pickOne(names)], descending: [false], nullsLast: [false] };
    case 8: {
      const keys = names.filter(() => R() < 0.4).slice(0, 2);
      const aggs: ExprNode[] = [len().alias(`len${fresh++}`).node, ...ints.filter((k) => !keys.includes(k)).slice(0, 1).map((c) => col(c).sum().alias(`sum${fresh++}`).node)];
      return { kind: "aggregate", input: p, keys: keys.map((k) => col(k).node), aggs, strategy: "auto" };
    }
    default: return R() < 0.5 ? { kind: "union", inputs: [p, p] } : { kind: "limit", input: p, n: int(0, 30), offset: int(0, 2) };
  }
}

function randPlan(depth: number): PlanNode {
  let p: PlanNode;
  if (depth > 0 && R() < 0.35) {
    const l = randPlan(depth - 1);
    const r = randPlan(depth - 1);
    const lk = intCols(schemaOf(l));
    const rk = intCols(schemaOf(r));
    p = lk.length > 0 && rk.length > 0
      ? { kind: "join", left: l, right: r, leftOn: [pickOne(lk)], rightOn: [pickOne(rk)], how: pickOne<JoinHow>(["inner", "left", "right", "full", "semi", "anti"]), suffix: `_j${fresh++}` }
      : l;
  } else p = pickOne([T, U, P]);
  const ops = int(0, 3);
  for (let i = 0; i < ops; i++) {
    try {
      const next = randOp(p);
      schemaOf(next);
      p = next;
    } catch {
      // an invalid random step (e.g. a duplicate name after a join): skip it
    }
  }
  return p;
}

/** Rows compared as a multiset: the optimizer keeps the row set; order is only defined under sort. */
const canon = (rows: Row[]): string[] => rows.map((r) => JSON.stringify(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1)))).sort();

describe("optimizer equivalence", () => {
  it("returns the same rows as the unoptimized plan for 400 random plans", () => {
    let optimizedSomething = 0;
    for (let i = 0; i < 400; i++) {
      const plan = randPlan(2);
      let res: ReturnType<typeof optimize>;
      try {
        res = optimize(plan);
      } catch (e) {
        throw new Error(`plan ${i} failed to optimize: ${(e as Error).message}\n${explainPlan(plan)}`);
      }
      const { plan: opt, applied } = res;
      if (applied.length > 0) optimizedSomething++;
      const want = canon(runPlan(plan, DATA));
      const got = canon(runPlan(opt, DATA));
      if (JSON.stringify(want) !== JSON.stringify(got)) {
        throw new Error(`plan ${i} differs after ${applied.join(", ")}\n--- before\n${explainPlan(plan)}\n--- after\n${explainPlan(opt)}\n--- want ${want.length} rows, got ${got.length}`);
      }
      expect(optimize(opt).applied).toEqual([]);
    }
    expect(optimizedSomething).toBeGreaterThan(200);
  });
});
