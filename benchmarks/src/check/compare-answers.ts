// Compares two answers cell by cell, with DuckDB over the files the systems wrote (Parquet, or CSV): same columns, same rows.
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

  /**
   * A table function reading an answer: Parquet as written, CSV (with a header) with the columns typed as `like`
   * types them (numbers read as DOUBLE), so inference never guesses a column from its first rows.
   */
  private source(path: string, like?: ReadonlyMap<string, string>): string {
    if (!path.endsWith(".csv")) return `read_parquet(${sqlString(path)})`;
    if (like === undefined) return `read_csv(${sqlString(path)}, header = true, all_varchar = true)`;
    const columns = [...like].map(([name, type]) => `${sqlString(name)}: ${sqlString(NUMERIC.test(type) ? "DOUBLE" : "VARCHAR")}`);
    return `read_csv(${sqlString(path)}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', columns = {${columns.join(", ")}})`;
  }

  private async columns(path: string): Promise<Map<string, string>> {
    const reader = await this.conn.runAndReadAll(`DESCRIBE SELECT * FROM ${this.source(path)}`);
    return new Map(reader.getRows().map((r) => [String(r[0]), String(r[1])]));
  }

  async compare(wantPath: string, gotPath: string, opts: CellCheckOptions = {}): Promise<string[]> {
    const relTol = opts.relTol ?? 1e-6;
    const absTol = opts.absTol ?? 1e-9;
    const want = await this.columns(wantPath);
    const header = await this.columns(gotPath);
    const out: string[] = [];
    for (const name of want.keys()) if (!header.has(name)) out.push(`column ${name} missing`);
    for (const name of header.keys()) if (!want.has(name)) out.push(`unexpected column ${name}`);
    if (out.length > 0) return out;
    // A CSV answer is read with the reference's column order and types.
    const gotSource = this.source(gotPath, gotPath.endsWith(".csv") ? new Map([...header.keys()].map((k) => [k, want.get(k) as string])) : undefined);
    const got = gotPath.endsWith(".csv") ? new Map([...header.keys()].map((k) => [k, NUMERIC.test(want.get(k) as string) ? "DOUBLE" : "VARCHAR"])) : header;
    const names = [...want.keys()];
    const order = names.map(ident).join(", ");
    const wantSource = this.source(wantPath);
    const numbered = (from: string): string => `SELECT row_number() OVER (ORDER BY ${order}) AS __rn, * FROM ${from}`;
    const counts = await this.conn.runAndReadAll(`SELECT (SELECT count(*) FROM ${wantSource}), (SELECT count(*) FROM ${gotSource})`);
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
      `WITH w AS (${numbered(wantSource)}), g AS (${numbered(gotSource)}) SELECT ${perColumn} FROM w JOIN g USING (__rn)`);
    const row = reader.getRows()[0] ?? [];
    names.forEach((name, k) => {
      const bad = Number(row[k] ?? 0);
      if (bad > 0) out.push(`${bad} of ${nw} cells of ${name} differ`);
    });
    if (out.length > 0) {
      const first = names.findIndex((_, k) => Number(row[k] ?? 0) > 0);
      const example = await this.conn.runAndReadAll(
        `WITH w AS (${numbered(wantSource)}), g AS (${numbered(gotSource)}) SELECT __rn, ${names.map((n) => `w.${ident(n)}, g.${ident(n)}`).join(", ")} ` +
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
