// DuckDB through @duckdb/node-api: views over the Parquet files (or tables loaded from them), answers as temp tables.
import { createRequire } from "node:module";
import { DuckDBInstance } from "@duckdb/node-api";
import type { DuckDBConnection } from "@duckdb/node-api";
import type { AnswerSummary, ColumnSummary } from "../check/summary.js";
import type { Question } from "../questions/question.js";
import type { Answer, BenchSystem, SourceMode } from "./system.js";

const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;
const ident = (s: string): string => `"${s.replaceAll('"', '""')}"`;
const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

export class DuckDbSystem implements BenchSystem {
  private constructor(private readonly instance: DuckDBInstance, private readonly conn: DuckDBConnection) {}

  static async open(): Promise<DuckDbSystem> {
    const instance = await DuckDBInstance.create(":memory:");
    return new DuckDbSystem(instance, await instance.connect());
  }

  async version(): Promise<string> {
    const reader = await this.conn.runAndReadAll("SELECT version()");
    const pkg = createRequire(import.meta.url)("@duckdb/node-api/package.json") as { version: string };
    return `${String(reader.getRows()[0]?.[0])} (@duckdb/node-api ${pkg.version})`;
  }

  async load(tables: Readonly<Record<string, string>>, mode: SourceMode): Promise<void> {
    for (const [name, path] of Object.entries(tables)) {
      await this.conn.run(`CREATE TABLE ${ident(name)} AS SELECT * FROM read_parquet(${sqlString(path)})`);
      if (mode === "parquet") {
        await this.conn.run(`DROP TABLE ${ident(name)}`);
        await this.conn.run(`CREATE VIEW ${ident(name)} AS SELECT * FROM read_parquet(${sqlString(path)})`);
      }
    }
  }

  /** As db-benchmark: `CREATE TABLE ans AS <query>`. */
  async run(q: Question): Promise<Answer> {
    await this.conn.run(`CREATE OR REPLACE TEMP TABLE ans AS ${q.sql}`);
    return "ans";
  }

  async summarize(_answer: Answer, check: readonly string[]): Promise<AnswerSummary> {
    const types = new Map<string, string>();
    const describe = await this.conn.runAndReadAll("DESCRIBE ans");
    for (const row of describe.getRows()) types.set(String(row[0]), String(row[1]));
    const exprs = ["count(*)"];
    for (const c of check) {
      const t = types.get(c);
      if (t === undefined) throw new Error(`duckdb answer has no column ${c}; it has ${[...types.keys()].join(", ")}`);
      const float = t === "DOUBLE" || t === "FLOAT";
      const filter = float ? ` FILTER (WHERE NOT isnan(${ident(c)}))` : "";
      exprs.push(`CAST(sum(${ident(c)})${filter} AS DOUBLE)`, `count(*) - count(${ident(c)})${filter}`);
    }
    const reader = await this.conn.runAndReadAll(`SELECT ${exprs.join(", ")} FROM ans`);
    const row = reader.getRows()[0] ?? [];
    const columns: Record<string, ColumnSummary> = {};
    check.forEach((c, i) => { columns[c] = { sum: num(row[1 + 2 * i]), missing: num(row[2 + 2 * i]) }; });
    return { rows: num(row[0]), columns };
  }

  async writeAnswer(_answer: Answer, path: string): Promise<void> {
    await this.conn.run(`COPY ans TO ${sqlString(path)} (FORMAT parquet)`);
  }

  async drop(): Promise<void> {
    await this.conn.run("DROP TABLE IF EXISTS ans");
  }

  async close(): Promise<void> {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}
