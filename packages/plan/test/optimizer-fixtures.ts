// Hand-built plans for optimizer tests: resolved Parquet and memory sources made of plain data, no files.
import type { DType, Field } from "@tessera/common";
import type { Expr, ExprNode, LitValue } from "@tessera/expr";
import type { JoinHow, ParquetFileInfo, PlanNode, RowGroupInfo, ScanNode } from "@tessera/plan";

export const field = (name: string, type: DType, nullable = true): Field => ({ name, type, nullable });

/** A row group: `stats` maps a column to [min, max, nullCount]. */
export function rowGroup(index: number, numRows: number, stats: Record<string, readonly [LitValue, LitValue, number | null]> = {}): RowGroupInfo {
  const s = Object.fromEntries(Object.entries(stats).map(([c, [min, max, nullCount]]) => [c, { min, max, nullCount }]));
  return { index, numRows, bytes: numRows * 8, stats: s };
}

export function parquetFile(url: string, rowGroups: RowGroupInfo[], hive: Record<string, LitValue> = {}): ParquetFileInfo {
  return { url, numRows: rowGroups.reduce((n, g) => n + g.numRows, 0), hive, rowGroups };
}

export function parquetScan(fileFields: Field[], files: ParquetFileInfo[], hiveFields: Field[] = []): ScanNode {
  return { kind: "scan", source: { format: "parquet", files, fileFields, hiveFields, partitions: null }, projection: null, predicate: null, limit: null };
}

export function memoryScan(id: string, fields: Field[], numRows = 10): ScanNode {
  return { kind: "scan", source: { format: "memory", id, fields, partitions: [{}], numRows }, projection: null, predicate: null, limit: null };
}

/** id1 utf8, id4 int32, v1 int32, v3 float64: two files of two row groups each, id4 rising 1..400. */
export function salesScan(): ScanNode {
  const fields = [field("id1", "utf8"), field("id4", "int32"), field("v1", "int32"), field("v3", "float64")];
  const g = (i: number, lo: number, hi: number): RowGroupInfo =>
    rowGroup(i, 100, { id1: ["id001", "id100", 0], id4: [lo, hi, 0], v1: [1, 5, 0], v3: [0, 100, 2] });
  return parquetScan(fields, [parquetFile("s3://b/a.parquet", [g(0, 1, 100), g(1, 101, 200)]), parquetFile("s3://b/b.parquet", [g(0, 201, 300), g(1, 301, 400)])]);
}

const n = (e: Expr | ExprNode): ExprNode => ("node" in e ? e.node : e);
const names = (xs: (Expr | string)[]): ExprNode[] => xs.map((x) => (typeof x === "string" ? { op: "col", name: x } : x.node));

export const filter = (input: PlanNode, p: Expr | ExprNode): PlanNode => ({ kind: "filter", input, predicate: n(p) });
export const select = (input: PlanNode, ...xs: (Expr | string)[]): PlanNode => ({ kind: "select", input, exprs: names(xs) });
export const withColumns = (input: PlanNode, ...xs: Expr[]): PlanNode => ({ kind: "withColumns", input, exprs: names(xs) });
export const aggregate = (input: PlanNode, keys: (Expr | string)[], aggs: Expr[]): PlanNode => ({ kind: "aggregate", input, keys: names(keys), aggs: names(aggs), strategy: "auto" });
export const limit = (input: PlanNode, count: number, offset = 0): PlanNode => ({ kind: "limit", input, n: count, offset });
export const sort = (input: PlanNode, ...by: string[]): PlanNode => ({ kind: "sort", input, by, descending: by.map(() => false), nullsLast: by.map(() => false) });
export const rename = (input: PlanNode, mapping: Record<string, string>): PlanNode => ({ kind: "rename", input, mapping });
export const drop = (input: PlanNode, ...cols: string[]): PlanNode => ({ kind: "drop", input, names: cols });
export const union = (...inputs: PlanNode[]): PlanNode => ({ kind: "union", inputs });
export const join = (left: PlanNode, right: PlanNode, leftOn: string[], rightOn: string[], how: JoinHow = "inner", suffix = "_right"): PlanNode =>
  ({ kind: "join", left, right, leftOn, rightOn, how, suffix });

/** The scan with fields replaced (projection / predicate / limit / files) for hand-written expectations. */
export function withScan(scan: ScanNode, patch: Partial<Pick<ScanNode, "projection" | "predicate" | "limit">>): ScanNode {
  return { ...scan, ...patch };
}
