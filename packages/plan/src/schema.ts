// Plan-time schemas: the output fields of every node, validating columns and types before anything runs.
import type { DType, Field, Schema } from "@tessera/common";
import { PlanError, assertNever, isInteger, isNumeric, promoteNumeric } from "@tessera/common";
import { columnNotFound, containsAgg, fieldOf, lookupField, outputName, typeOf } from "@tessera/expr";
import type { ExprNode, LitValue } from "@tessera/expr";
import type { JoinHow, ObjectSinkNode, PivotAgg, PivotNode, PlanNode, ScanSource } from "./nodes.js";
import { parseFunctionRef } from "./function-ref.js";
import { checkPlanOptions } from "./check-options.js";
import { rasterInfo } from "./raster/raster-info.js";
import { viewFields } from "./raster/raster-views.js";

/** The fields a source produces before projection (file columns, then hive partition columns). */
export function sourceFields(s: ScanSource): Schema {
  switch (s.format) {
    case "parquet":
      if ("files" in s) return [...s.fileFields, ...s.hiveFields];
      break;
    case "csv":
      if ("files" in s) return s.fields;
      break;
    case "memory": case "persisted":
      return s.fields;
  }
  throw new PlanError("UNRESOLVED_SOURCE", "the plan's sources must be resolved (metadata read) before its schema is known");
}

function uniqueNames(fields: readonly Field[], where: string): Field[] {
  const seen = new Set<string>();
  for (const f of fields) {
    if (seen.has(f.name)) throw new PlanError("DUPLICATE_COLUMN", `${where} produces column "${f.name}" twice; use alias() to rename one`, { column: f.name });
    seen.add(f.name);
  }
  return [...fields];
}

function requireColumns(schema: Schema, names: readonly string[]): void {
  for (const n of names) lookupField(schema, n);
}

function noAgg(e: ExprNode, where: string): void {
  if (containsAgg(e)) throw new PlanError("AGG_NOT_ALLOWED", `aggregate expression "${outputName(e)}" is not allowed in ${where}; use groupBy().agg()`);
}

/** Output fields of a join: left columns, then right columns except the right keys (suffixed on collision). */
export function joinFields(left: Schema, right: Schema, leftOn: readonly string[], rightOn: readonly string[], how: JoinHow, suffix: string): Field[] {
  if (how === "semi" || how === "anti") return [...left];
  const leftNullable = how === "right" || how === "full";
  const rightNullable = how === "left" || how === "full";
  const out: Field[] = left.map((f) => ({ ...f, nullable: f.nullable || (leftNullable && !leftOn.includes(f.name)) || (how === "full" && leftOn.includes(f.name) && f.nullable) }));
  const names = new Set(out.map((f) => f.name));
  for (const f of right) {
    if (rightOn.includes(f.name)) continue;
    const name = names.has(f.name) ? f.name + suffix : f.name;
    if (names.has(name)) throw new PlanError("DUPLICATE_COLUMN", `join output would have column "${name}" twice; choose another suffix`);
    names.add(name);
    out.push({ name, type: f.type, nullable: f.nullable || rightNullable });
  }
  return out;
}

/** The output schema of `p`. Throws PlanError naming the column for unknown columns and type mismatches. */
export function schemaOf(p: PlanNode, memo: Map<PlanNode, Schema> = new Map()): Schema {
  const hit = memo.get(p);
  if (hit) return hit;
  const s = computeSchema(p, memo);
  memo.set(p, s);
  return s;
}

function computeSchema(p: PlanNode, memo: Map<PlanNode, Schema>): Schema {
  checkPlanOptions(p);
  switch (p.kind) {
    case "scan": {
      const all = sourceFields(p.source);
      if (p.predicate) {
        const t = typeOf(p.predicate, all);
        if (t !== "bool" && t !== "null") throw new PlanError("TYPE_MISMATCH", `filter predicate must be boolean, got ${t}`);
      }
      if (p.projection === null) return all;
      requireColumns(all, p.projection);
      return all.filter((f) => p.projection?.includes(f.name));
    }
    case "select": {
      const inp = schemaOf(p.input, memo);
      const fields = p.exprs.map((e) => fieldOf(e, inp));
      const anyAgg = p.exprs.some(containsAgg);
      if (anyAgg && !p.exprs.every((e) => containsAgg(e) || e.op === "lit")) {
        throw new PlanError("AGG_MIXED", "select mixes aggregates with row-wise expressions; use groupBy().agg() or aggregate every column");
      }
      return uniqueNames(fields, "select");
    }
    case "withColumns": {
      const inp = schemaOf(p.input, memo);
      const out = [...inp];
      for (const e of p.exprs) {
        noAgg(e, "withColumns");
        const f = fieldOf(e, inp);
        const i = out.findIndex((x) => x.name === f.name);
        if (i >= 0) out[i] = f; else out.push(f);
      }
      return out;
    }
    case "filter": {
      const inp = schemaOf(p.input, memo);
      noAgg(p.predicate, "filter");
      const t = typeOf(p.predicate, inp);
      if (t !== "bool" && t !== "null") throw new PlanError("TYPE_MISMATCH", `filter predicate must be boolean, got ${t}`);
      return inp;
    }
    case "aggregate": {
      const inp = schemaOf(p.input, memo);
      for (const k of p.keys) noAgg(k, "groupBy keys");
      const keyFields = p.keys.map((k) => fieldOf(k, inp));
      const aggFields = p.aggs.map((a) => {
        if (!containsAgg(a)) throw new PlanError("AGG_REQUIRED", `expression "${outputName(a)}" in agg() must aggregate (e.g. .sum(), .first())`);
        return fieldOf(a, inp);
      });
      return uniqueNames([...keyFields, ...aggFields], "groupBy().agg()");
    }
    case "groupHead": {
      const inp = schemaOf(p.input, memo);
      requireColumns(inp, p.keys);
      return inp;
    }
    case "join": {
      const l = schemaOf(p.left, memo);
      const r = schemaOf(p.right, memo);
      if (p.leftOn.length !== p.rightOn.length || p.leftOn.length === 0) throw new PlanError("BAD_JOIN_KEYS", "join needs the same number (at least one) of left and right keys");
      p.leftOn.forEach((ln, i) => {
        const lf = lookupField(l, ln);
        const rf = lookupField(r, p.rightOn[i] as string);
        const ok = lf.type === rf.type || (isNumeric(lf.type) && isNumeric(rf.type) && promoteNumeric(lf.type, rf.type) !== null);
        if (!ok) throw new PlanError("TYPE_MISMATCH", `join key "${ln}" (${lf.type}) cannot match "${rf.name}" (${rf.type})`);
      });
      return joinFields(l, r, p.leftOn, p.rightOn, p.how, p.suffix);
    }
    case "sort": {
      const inp = schemaOf(p.input, memo);
      requireColumns(inp, p.by);
      return inp;
    }
    case "limit": return schemaOf(p.input, memo);
    case "unique": {
      const inp = schemaOf(p.input, memo);
      if (p.subset) requireColumns(inp, p.subset);
      return inp;
    }
    case "rename": {
      const inp = schemaOf(p.input, memo);
      for (const old of Object.keys(p.mapping)) lookupField(inp, old);
      return uniqueNames(inp.map((f) => ({ ...f, name: p.mapping[f.name] ?? f.name })), "rename");
    }
    case "drop": {
      const inp = schemaOf(p.input, memo);
      requireColumns(inp, p.names);
      return inp.filter((f) => !p.names.includes(f.name));
    }
    case "repartition": {
      const inp = schemaOf(p.input, memo);
      if (p.by) requireColumns(inp, p.by);
      return inp;
    }
    case "union": {
      const schemas = p.inputs.map((x) => schemaOf(x, memo));
      const first = schemas[0];
      if (!first) throw new PlanError("EMPTY_CONCAT", "concat needs at least one frame");
      for (const s of schemas.slice(1)) {
        if (s.length !== first.length || s.some((f, i) => f.name !== first[i]?.name)) {
          throw new PlanError("SCHEMA_MISMATCH", `concat: frames have different columns (${first.map((f) => f.name).join(", ")}) vs (${s.map((f) => f.name).join(", ")})`);
        }
        s.forEach((f, i) => {
          const g = first[i] as Field;
          if (f.type !== g.type && promoteNumeric(f.type, g.type) === null) throw new PlanError("SCHEMA_MISMATCH", `concat: column "${f.name}" is ${g.type} in one frame and ${f.type} in another`);
        });
      }
      return first.map((f, i) => ({ ...f, nullable: schemas.some((s) => s[i]?.nullable) }));
    }
    case "mapBatches": {
      parseFunctionRef(p.fn);
      schemaOf(p.input, memo);
      return p.schema;
    }
    case "sink": {
      // The written columns; each partitionBy column must be one of them.
      const fields = schemaOf(p.input, memo);
      checkPartitionBy(fields, p.options.partitionBy);
      return fields;
    }
    case "fromRaster": return viewFields(p.view, rasterInfo(p.raster, (x) => schemaOf(x, memo)));
    case "rowIndex": {
      const inp = schemaOf(p.input, memo);
      if (inp.some((f) => f.name === p.name)) throw new PlanError("DUPLICATE_COLUMN", `withRowIndex: the frame already has a column "${p.name}"`, { column: p.name });
      return [...inp, { name: p.name, type: "int64", nullable: false }];
    }
    case "topK": {
      const inp = schemaOf(p.input, memo);
      requireColumns(inp, [...p.keys, ...p.by]);
      return inp;
    }
    case "pivot": return pivotFields(p, schemaOf(p.input, memo));
    case "cache": return schemaOf(p.input, memo);
    case "sinkObjects": {
      const fields = schemaOf(p.input, memo);
      checkObjectSink(p, fields);
      return fields;
    }
    default: return assertNever(p, "plan node");
  }
}

/** The name of a pivot output column: the `on` value's text, prefixed by the value column when there are several. */
export function pivotColumnName(value: string, onValue: LitValue, manyValues: boolean): string {
  const text = onValue === null ? "null" : String(onValue);
  return manyValues ? `${value}_${text}` : text;
}

/** The type a pivot cell has for `agg` over a value column of type `t` (as the aggregate would give it). */
function pivotCellType(agg: PivotAgg, f: Field, input: Schema): DType {
  const call: ExprNode = { op: "agg", fn: agg, args: [{ op: "col", name: f.name }] };
  return typeOf(call, input);
}

function pivotFields(p: PivotNode, input: Schema): Schema {
  requireColumns(input, [...p.index, p.on, ...p.values]);
  if (p.onValues === null) throw new PlanError("PIVOT_UNRESOLVED", "pivot: its columns are not known yet (the frame layer reads them before planning)");
  const many = p.values.length > 1;
  const out: Field[] = p.index.map((n) => lookupField(input, n));
  for (const v of p.values) {
    const type = pivotCellType(p.agg, lookupField(input, v), input);
    for (const on of p.onValues) out.push({ name: pivotColumnName(v, on, many), type, nullable: true });
  }
  return uniqueNames(out, "pivot");
}

/** The sink's groups, order and written columns exist; tile columns have the types tiles need. */
function checkObjectSink(p: ObjectSinkNode, fields: Schema): void {
  requireColumns(fields, [...p.groupBy, ...p.orderBy]);
  const f = p.format;
  switch (f.kind) {
    case "csv":
      requireColumns(fields, f.columns);
      if (f.pivot !== null) requireColumns(fields, [f.pivot.index, f.pivot.on, f.pivot.values]);
      return;
    case "json":
      requireColumns(fields, [...f.columns, ...f.nest]);
      if (f.leaf === "values" && f.columns.length !== 1) throw new PlanError("BAD_OPTION", `json leaf "values" writes one column, got ${f.columns.length}`);
      return;
    case "tile": {
      for (const c of [f.z, f.x, f.y, f.bin]) {
        const t = lookupField(fields, c).type;
        if (!isInteger(t)) throw new PlanError("TYPE_MISMATCH", `tile column "${c}" must hold integers, it is ${t}`, { column: c });
      }
      for (const c of f.values) {
        const t = lookupField(fields, c).type;
        if (!isNumeric(t)) throw new PlanError("TYPE_MISMATCH", `tile value "${c}" must be numeric, it is ${t}`, { column: c });
      }
      for (const c of [f.z, f.x, f.y]) {
        if (!p.groupBy.includes(c)) throw new PlanError("BAD_OPTION", `a tile sink's path must name the tile: {${c}} is missing from ${JSON.stringify(p.template)}`, { column: c });
      }
      return;
    }
    default: return assertNever(f, "object format");
  }
}

export { columnNotFound };

/** partitionBy names distinct columns of `fields` and leaves at least one column for the files. */
function checkPartitionBy(fields: Schema, partitionBy: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of partitionBy) {
    lookupField(fields, name);
    if (seen.has(name)) throw new PlanError("BAD_OPTION", `partitionBy names column "${name}" twice`, { column: name });
    seen.add(name);
  }
  if (partitionBy.length > 0 && partitionBy.length === fields.length) {
    throw new PlanError("BAD_OPTION", `partitionBy takes every column (${partitionBy.join(", ")}); the files need at least one other`);
  }
}
