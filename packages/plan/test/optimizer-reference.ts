// A tiny row-at-a-time reference interpreter for optimizer equivalence tests (test-only; SQL null semantics).
import type { ExprNode, LitValue } from "@tessera/expr";
import { outputName } from "@tessera/expr";
import type { PlanNode } from "@tessera/plan";
import { joinFields, schemaOf, sourceFields } from "@tessera/plan";

export type Row = Record<string, LitValue>;
/** Rows of each Parquet row group, keyed `${url}#${index}` (memory sources carry Row[] partitions). */
export type RowGroupData = ReadonlyMap<string, readonly Row[]>;

export function evalExpr(e: ExprNode, row: Row): LitValue {
  switch (e.op) {
    case "col": return row[e.name] ?? null;
    case "lit": return e.value;
    case "alias": return evalExpr(e.arg, row);
    case "isIn": {
      const v = evalExpr(e.arg, row);
      return v === null ? null : e.values.includes(v);
    }
    case "unary": {
      const v = evalExpr(e.arg, row);
      if (e.fn === "isNull") return v === null;
      if (e.fn === "isNotNull") return v !== null;
      if (v === null) return null;
      if (e.fn === "not") return !v;
      if (e.fn === "neg") return -(v as number);
      throw new Error(`unsupported unary ${e.fn}`);
    }
    case "binary": {
      const l = evalExpr(e.left, row);
      const r = evalExpr(e.right, row);
      if (e.fn === "and") return l === false || r === false ? false : l === null || r === null ? null : true;
      if (e.fn === "or") return l === true || r === true ? true : l === null || r === null ? null : false;
      if (l === null || r === null) return null;
      const a = l as number;
      const b = r as number;
      switch (e.fn) {
        case "eq": return l === r;
        case "neq": return l !== r;
        case "lt": return a < b;
        case "lte": return a <= b;
        case "gt": return a > b;
        case "gte": return a >= b;
        case "add": return a + b;
        case "sub": return a - b;
        case "mul": return a * b;
        default: throw new Error(`unsupported binary ${e.fn}`);
      }
    }
    default: throw new Error(`unsupported expression ${e.op}`);
  }
}

function aggregateRows(rows: readonly Row[], keys: readonly ExprNode[], aggs: readonly ExprNode[]): Row[] {
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const k = JSON.stringify(keys.map((e) => evalExpr(e, r)));
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  if (keys.length === 0 && groups.size === 0) groups.set("[]", []);
  return [...groups.values()].map((g) => {
    const out: Row = {};
    for (const e of keys) out[outputName(e)] = g[0] ? evalExpr(e, g[0]) : null;
    for (const a of aggs) {
      if (a.op !== "agg" && !(a.op === "alias" && a.arg.op === "agg")) throw new Error("aggs must be agg or alias(agg)");
      const agg = a.op === "agg" ? a : (a.arg as Extract<ExprNode, { op: "agg" }>);
      const arg = agg.args[0];
      const vals = arg ? g.map((r) => evalExpr(arg, r)).filter((v) => v !== null) : [];
      out[outputName(a)] = agg.fn === "len" ? g.length : agg.fn === "sum" ? vals.reduce<number>((s, v) => s + (v as number), 0) : null;
    }
    return out;
  });
}

/** Runs a plan over memory sources (partitions: Row[][]) and Parquet sources whose row groups are in `data`. */
export function runPlan(p: PlanNode, data: RowGroupData = new Map()): Row[] {
  const pick = (r: Row, names: readonly string[]): Row => Object.fromEntries(names.map((n) => [n, r[n] ?? null]));
  switch (p.kind) {
    case "scan": {
      const s = p.source;
      let rows: Row[];
      if (s.format === "memory") rows = (s.partitions as Row[][]).flat();
      else if (s.format === "parquet" && "files" in s) rows = s.files.flatMap((f) => f.rowGroups.flatMap((g) => (data.get(`${f.url}#${g.index}`) ?? []).map((r) => ({ ...r, ...f.hive }))));
      else throw new Error("unsupported source");
      if (p.predicate) { const pred = p.predicate; rows = rows.filter((r) => evalExpr(pred, r) === true); }
      if (p.limit !== null) rows = rows.slice(0, p.limit);
      const names = sourceFields(s).map((f) => f.name).filter((n) => p.projection === null || p.projection.includes(n));
      return rows.map((r) => pick(r, names));
    }
    case "filter": return runPlan(p.input, data).filter((r) => evalExpr(p.predicate, r) === true);
    case "select": return runPlan(p.input, data).map((r) => Object.fromEntries(p.exprs.map((e) => [outputName(e), evalExpr(e, r)])));
    case "withColumns": return runPlan(p.input, data).map((r) => ({ ...r, ...Object.fromEntries(p.exprs.map((e) => [outputName(e), evalExpr(e, r)])) }));
    case "aggregate": return aggregateRows(runPlan(p.input, data), p.keys, p.aggs);
    case "limit": return runPlan(p.input, data).slice(p.offset, p.offset + p.n);
    case "sort": return [...runPlan(p.input, data)].sort((x, y) => {
      for (const c of p.by) {
        const a = x[c] ?? null;
        const b = y[c] ?? null;
        if (a === b) continue;
        if (a === null) return -1;
        if (b === null) return 1;
        return a < b ? -1 : 1;
      }
      return 0;
    });
    case "rename": return runPlan(p.input, data).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [p.mapping[k] ?? k, v])));
    case "drop": return runPlan(p.input, data).map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !p.names.includes(k))));
    case "union": return p.inputs.flatMap((x) => runPlan(x, data));
    case "repartition": return runPlan(p.input, data);
    case "join": return runJoin(p, data);
    default: throw new Error(`unsupported plan node ${p.kind}`);
  }
}

function runJoin(j: Extract<PlanNode, { kind: "join" }>, data: RowGroupData): Row[] {
  const left = runPlan(j.left, data);
  const right = runPlan(j.right, data);
  const ls = schemaOf(j.left);
  const rs = schemaOf(j.right);
  const match = (l: Row, r: Row): boolean => j.leftOn.every((k, i) => l[k] != null && l[k] === r[j.rightOn[i] as string]);
  if (j.how === "semi") return left.filter((l) => right.some((r) => match(l, r)));
  if (j.how === "anti") return left.filter((l) => !right.some((r) => match(l, r)));
  const outNames = joinFields(ls, rs, j.leftOn, j.rightOn, j.how, j.suffix).map((f) => f.name);
  const rightNames = rs.map((f) => f.name).filter((n) => !j.rightOn.includes(n));
  const merge = (l: Row | null, r: Row | null): Row => {
    const out: Row = {};
    ls.forEach((f) => { out[f.name] = l ? l[f.name] ?? null : null; });
    if (!l && r) j.leftOn.forEach((k, i) => { out[k] = r[j.rightOn[i] as string] ?? null; });
    rightNames.forEach((n, i) => { out[outNames[ls.length + i] as string] = r ? r[n] ?? null : null; });
    return out;
  };
  const out: Row[] = [];
  if (j.how === "right") {
    for (const r of right) {
      const ms = left.filter((l) => match(l, r));
      if (ms.length === 0) out.push(merge(null, r)); else for (const l of ms) out.push(merge(l, r));
    }
    return out;
  }
  for (const l of left) {
    const ms = right.filter((r) => match(l, r));
    if (ms.length === 0 && j.how !== "inner") out.push(merge(l, null));
    for (const r of ms) out.push(merge(l, r));
  }
  if (j.how === "full") for (const r of right) if (!left.some((l) => match(l, r))) out.push(merge(null, r));
  return out;
}
