// The options a plan node carries (join how, sort flags, keep, strategy, counts, schemas), checked for untyped callers.
import type { Schema } from "@tessera/common";
import { PlanError, checkChoice } from "@tessera/common";
import { checkDType } from "@tessera/expr";
import type { AggStrategy, JoinHow, ObjectFormat, PivotAgg, PlanKind, PlanNode } from "./nodes.js";

const KINDS: Record<PlanKind, true> = {
  scan: true, select: true, withColumns: true, filter: true, aggregate: true, groupHead: true, join: true, sort: true, limit: true,
  unique: true, rename: true, drop: true, repartition: true, union: true, mapBatches: true, sink: true, fromRaster: true, rowIndex: true,
  topK: true, pivot: true, sinkObjects: true, cache: true,
};
const PIVOT_AGGS: Record<PivotAgg, true> = { first: true, last: true, sum: true, mean: true, min: true, max: true, count: true };
export const PIVOT_AGG_NAMES = Object.keys(PIVOT_AGGS) as PivotAgg[];
/** Most PUTs one sink partition keeps in flight, and most tries of one PUT. */
export const MAX_SINK_CONCURRENCY = 256;
export const MAX_SINK_ATTEMPTS = 20;
const HOWS: Record<JoinHow, true> = { inner: true, left: true, right: true, full: true, semi: true, anti: true };
const STRATEGIES: Record<AggStrategy, true> = { auto: true, tree: true, shuffle: true };

export const PLAN_KINDS = Object.keys(KINDS) as PlanKind[];
export const JOIN_HOWS = Object.keys(HOWS) as JoinHow[];
export const AGG_STRATEGIES = Object.keys(STRATEGIES) as AggStrategy[];

const show = (v: unknown): string => (typeof v === "string" ? `"${v}"` : JSON.stringify(v) ?? String(v));

function names(what: string, v: unknown): void {
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) throw new PlanError("BAD_OPTION", `${what} must be a list of column names, got ${show(v)}`);
}

function count(what: string, v: unknown, min: number): void {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min) throw new PlanError("BAD_OPTION", `${what} must be an integer >= ${min}, got ${show(v)}`);
}

function flags(what: string, v: unknown, n: number): void {
  if (!Array.isArray(v) || v.length !== n || v.some((x) => typeof x !== "boolean")) {
    throw new PlanError("BAD_OPTION", `${what} must be true or false (or a list of them, one per sort key), got ${show(v)}`);
  }
}

/** A declared schema (mapBatches, CSV): names as strings, types from the known list, nullable as booleans. */
export function checkSchema(what: string, schema: unknown): void {
  if (!Array.isArray(schema)) throw new PlanError("BAD_OPTION", `${what} must be a list of fields { name, type, nullable }`);
  for (const f of schema as Schema) {
    if (typeof f !== "object" || f === null || typeof f.name !== "string") throw new PlanError("BAD_OPTION", `${what}: every field needs a string name, got ${show(f)}`);
    checkDType(f.type, `type of field "${f.name}"`);
    if (typeof f.nullable !== "boolean") throw new PlanError("BAD_OPTION", `${what}: field "${f.name}" needs nullable: true or false`);
  }
}

/**
 * Checks the options of one plan node (not its inputs) as an untyped JavaScript caller may have passed them:
 * PlanError UNKNOWN_PLAN_NODE or BAD_OPTION, listing the valid choices. Expressions are checked where they are typed.
 */
export function checkPlanOptions(p: PlanNode): void {
  checkChoice("UNKNOWN_PLAN_NODE", "plan node", (p as { kind?: unknown }).kind, PLAN_KINDS);
  switch (p.kind) {
    case "join":
      checkChoice("BAD_OPTION", "join how", p.how, JOIN_HOWS);
      if (typeof p.suffix !== "string") throw new PlanError("BAD_OPTION", `join suffix must be a string, got ${show(p.suffix)}`);
      names("join keys", p.leftOn);
      names("join keys", p.rightOn);
      return;
    case "sort":
      names("sort keys", p.by);
      flags("sort descending", p.descending, p.by.length);
      flags("sort nullsLast", p.nullsLast, p.by.length);
      return;
    case "limit": count("limit n", p.n, 0); count("limit offset", p.offset, 0); return;
    case "unique":
      checkChoice("BAD_OPTION", "unique keep", p.keep, ["first", "last"]);
      if (p.subset !== null) names("unique subset", p.subset);
      return;
    case "aggregate": checkChoice("BAD_OPTION", "aggregation strategy", p.strategy, AGG_STRATEGIES); return;
    case "groupHead": names("groupBy keys", p.keys); count("head n", p.n, 0); return;
    case "rename":
      if (typeof p.mapping !== "object" || p.mapping === null || Object.values(p.mapping).some((v) => typeof v !== "string")) {
        throw new PlanError("BAD_OPTION", `rename takes { old: "new" } with string names, got ${show(p.mapping)}`);
      }
      return;
    case "drop": names("drop", p.names); return;
    case "repartition": count("repartition n", p.n, 1); if (p.by !== null) names("repartition by", p.by); return;
    case "mapBatches": checkSchema("mapBatches schema", p.schema); return;
    case "rowIndex":
      if (typeof p.name !== "string" || p.name === "") throw new PlanError("BAD_OPTION", `withRowIndex needs a column name, got ${show(p.name)}`);
      count("withRowIndex offset", p.offset, 0);
      return;
    case "topK":
      names("groupBy keys", p.keys);
      names("topK by", p.by);
      if (p.by.length === 0) throw new PlanError("BAD_OPTION", "topK needs at least one column to order by");
      flags("topK descending", p.descending, p.by.length);
      flags("topK nullsLast", p.nullsLast, p.by.length);
      count("topK k", p.k, 0);
      return;
    case "pivot":
      names("pivot index", p.index);
      if (typeof p.on !== "string") throw new PlanError("BAD_OPTION", `pivot on must be a column name, got ${show(p.on)}`);
      names("pivot values", p.values);
      if (p.values.length === 0) throw new PlanError("BAD_OPTION", "pivot needs at least one values column");
      checkChoice("BAD_OPTION", "pivot agg", p.agg, PIVOT_AGG_NAMES);
      if (p.onValues !== null && !Array.isArray(p.onValues)) throw new PlanError("BAD_OPTION", `pivot columns must be a list of values, got ${show(p.onValues)}`);
      return;
    case "sinkObjects":
      if (typeof p.template !== "string" || p.template === "") throw new PlanError("BAD_OPTION", `sinkObjects needs a path template, got ${show(p.template)}`);
      names("sinkObjects groups", p.groupBy);
      names("sinkObjects orderBy", p.orderBy);
      flags("sinkObjects descending", p.descending, p.orderBy.length);
      if (p.commit !== null && (typeof p.commit !== "string" || p.commit === "")) throw new PlanError("BAD_OPTION", `commit must be an object name or null, got ${show(p.commit)}`);
      count("concurrency", p.concurrency, 1);
      if (p.concurrency > MAX_SINK_CONCURRENCY) throw new PlanError("BAD_OPTION", `concurrency must be at most ${MAX_SINK_CONCURRENCY}, got ${p.concurrency}`);
      count("attempts", p.attempts, 1);
      if (p.attempts > MAX_SINK_ATTEMPTS) throw new PlanError("BAD_OPTION", `attempts must be at most ${MAX_SINK_ATTEMPTS}, got ${p.attempts}`);
      checkObjectFormat(p.format);
      return;
    case "scan": {
      const s = p.source;
      if ((s.format === "parquet" || s.format === "csv") && s.partitions !== null) count("partitions", s.partitions, 1);
      if (s.format === "csv" && !("files" in s)) {
        if (typeof s.delimiter !== "string" || s.delimiter.length !== 1) throw new PlanError("BAD_OPTION", `a CSV delimiter is one character, got ${show(s.delimiter)}`);
        if (typeof s.header !== "boolean") throw new PlanError("BAD_OPTION", `CSV header must be true or false, got ${show(s.header)}`);
        if (s.schema !== null) checkSchema("CSV schema", s.schema);
      }
      return;
    }
    default: return;
  }
}

/** The writer options of a fan-out sink, as an untyped caller may have passed them. */
function checkObjectFormat(f: ObjectFormat): void {
  checkChoice("BAD_OPTION", "object format", (f as { kind?: unknown }).kind, ["csv", "json", "tile"]);
  switch (f.kind) {
    case "csv":
      names("csv columns", f.columns);
      checkChoice("BAD_OPTION", "numberFormat", f.numberFormat, ["default", "python"]);
      if (f.pivot !== null && (typeof f.pivot !== "object" || [f.pivot.index, f.pivot.on, f.pivot.values].some((x) => typeof x !== "string"))) {
        throw new PlanError("BAD_OPTION", `csv pivot takes { index, on, values } column names, got ${show(f.pivot)}`);
      }
      return;
    case "json":
      names("json columns", f.columns);
      checkChoice("BAD_OPTION", "numberFormat", f.numberFormat, ["default", "python"]);
      names("json nest", f.nest);
      checkChoice("BAD_OPTION", "json leaf", f.leaf, ["records", "values"]);
      if (!Array.isArray(f.nestKeys) || f.nestKeys.length !== f.nest.length) throw new PlanError("BAD_OPTION", "json nestKeys needs one entry (a list of keys, or null) per nest column");
      for (const k of f.nestKeys) if (k !== null) names("json nestKeys", k);
      return;
    case "tile":
      if (typeof f.encoder !== "string") throw new PlanError("BAD_OPTION", `a tile sink needs an encoder reference "module#export", got ${show(f.encoder)}`);
      for (const c of [f.z, f.x, f.y, f.bin]) if (typeof c !== "string") throw new PlanError("BAD_OPTION", `tile columns z, x, y and bin must be column names, got ${show(c)}`);
      names("tile values", f.values);
      count("tile binLevel", f.binLevel, 0);
      return;
  }
}