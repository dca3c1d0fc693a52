// The options a plan node carries (join how, sort flags, keep, strategy, counts, schemas), checked for untyped callers.
import type { Schema } from "@tessera/common";
import { PlanError, checkChoice } from "@tessera/common";
import { checkDType } from "@tessera/expr";
import type { AggStrategy, JoinHow, PlanKind, PlanNode } from "./nodes.js";

const KINDS: Record<PlanKind, true> = {
  scan: true, select: true, withColumns: true, filter: true, aggregate: true, groupHead: true, join: true, sort: true, limit: true,
  unique: true, rename: true, drop: true, repartition: true, union: true, mapBatches: true, sink: true, fromRaster: true,
};
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
