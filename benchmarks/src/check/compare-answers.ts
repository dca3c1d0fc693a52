// Compares two answers cell by cell, with DuckDB over the Parquet files the systems wrote: same columns, same rows.
import { DuckDBInstance } from "@duckdb/node-api";
import type { DuckDBConnection } from "@duckdb/node-api";

export interface CellCheckOptions {
  /** Relative tolerance on numeric cells (default 1e-6: summation order differs between engines). */
  readonly relTol?: number;
  /** Absolute tolerance on numeric cells near zero (default 1e-9). */
  readonly absTol?: number;
}

const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;
const ident = (s: string): string => `"${s.replaceAll('"', '""')}"`;
const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL.*)$/;
const FLOAT = /^(FLOAT|DOUBLE)$/;

/**
 * Compares answers written as Parquet by DuckDB's reading of both. Rows are matched after ordering each answer by
 * all its columns (keys come first in every question's answer, and values are exact copies or aggregates, so both
 * sides order alike); cells then compare per column: numbers to `relTol` / `absTol` (NaN equals NaN, null equals
 * null), everything else exactly. Returns the differences as lines, empty when the answers agree.
 */
export class AnswerComparer {
  private constructor(private readonly instance: DuckDBInstance, private readonly conn: DuckDBConnection) {}

  static async open(): Promise<AnswerComparer> {
    const instance = await DuckDBInstance.create(":memory:");
    return new AnswerComparer(instance, await instance.connect());
  }

  private async columns(path: string): Promise<Map<string, string>> {
    const reader = await this.conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${sqlString(path)})`);
    return new Map(reader.getRows().map((r) => [String(r[0]), String(r[1])]));
  }

  async compare(wantPath: string, gotPath: string, opts: CellCheckOptions = {}): Promise<string[]> {
    const relTol = opts.relTol ?? 1e-6;
    const absTol = opts.absTol ?? 1e-9;
    const want = await this.columns(wantPath);
    const got = await this.columns(gotPath);
    const out: string[] = [];
    for (const name of want.keys()) if (!got.has(name)) out.push(`column ${name} missing`);
    for (const name of got.keys()) if (!want.has(name)) out.push(`unexpected column ${name}`);
    if (out.length > 0) return out;
    const names = [...want.keys()];
    const order = names.map(ident).join(", ");
    const numbered = (path: string): string =>
      `SELECT row_number() OVER (ORDER BY ${order}) AS __rn, * FROM read_parquet(${sqlString(path)})`;
    const counts = await this.conn.runAndReadAll(
      `SELECT (SELECT count(*) FROM read_parquet(${sqlString(wantPath)})), (SELECT count(*) FROM read_parquet(${sqlString(gotPath)}))`);
    const [nw, ng] = (counts.getRows()[0] ?? []).map(Number) as [number, number];
    if (nw !== ng) return [`rows: ${ng} != ${nw}`];
    const mismatch = names.map((name) => {
      const a = `w.${ident(name)}`;
      const b = `g.${ident(name)}`;
      const tw = want.get(name) as string;
      const tg = got.get(name) as string;
      if (NUMERIC.test(tw) && NUMERIC.test(tg)) {
        const x = `CAST(${a} AS DOUBLE)`;
        const y = `CAST(${b} AS DOUBLE)`;
        const nan = FLOAT.test(tw) || FLOAT.test(tg) ? ` OR (isnan(${x}) AND isnan(${y}))` : "";
        return `NOT ((${a} IS NULL AND ${b} IS NULL) OR (${x} = ${y})${nan} OR abs(${x} - ${y}) <= ${absTol} ` +
          `OR abs(${x} - ${y}) <= ${relTol} * greatest(abs(${x}), abs(${y})))`;
      }
      return `${a} IS DISTINCT FROM ${b}`;
    });
    const perColumn = names.map((name, k) => `count(*) FILTER (WHERE coalesce(${mismatch[k]}, true)) AS ${ident(name)}`).join(", ");
    const reader = await this.conn.runAndReadAll(
      `WITH w AS (${numbered(wantPath)}), g AS (${numbered(gotPath)}) SELECT ${perColumn} FROM w JOIN g USING (__rn)`);
    const row = reader.getRows()[0] ?? [];
    names.forEach((name, k) => {
      const bad = Number(row[k] ?? 0);
      if (bad > 0) out.push(`${bad} of ${nw} cells of ${name} differ`);
    });
    if (out.length > 0) {
      const first = names.findIndex((_, k) => Number(row[k] ?? 0) > 0);
      const example = await this.conn.runAndReadAll(
        `WITH w AS (${numbered(wantPath)}), g AS (${numbered(gotPath)}) SELECT __rn, ${names.map((n) => `w.${ident(n)}, g.${ident(n)}`).join(", ")} ` +
        `FROM w JOIN g USING (__rn) WHERE coalesce(${mismatch[first]}, true) ORDER BY __rn LIMIT 1`);
      out.push(`first differing row: ${JSON.stringify(example.getRows()[0], (_, v: unknown) => (typeof v === "bigint" ? String(v) : v))}`);
    }
    return out;
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}
