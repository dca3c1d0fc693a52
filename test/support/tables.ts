// Small typed tables built in JS, loaded into DuckDB and written as Parquet (the files both engines then read).
import { BIGINT, BOOLEAN, DOUBLE, DuckDBDataChunk, INTEGER, VARCHAR } from "@duckdb/node-api";
import type { DuckDBType } from "@duckdb/node-api";
import { duck, duckRun, sqlIdent, sqlString } from "./duck.js";

/** The SQL types test tables use. DATE values are "YYYY-MM-DD" strings; TIMESTAMP values epoch ms numbers. */
export type SqlType = "BOOLEAN" | "INTEGER" | "BIGINT" | "DOUBLE" | "VARCHAR" | "DATE" | "TIMESTAMP";

export interface ColumnSpec {
  readonly name: string;
  readonly type: SqlType;
  /** Plain JS values in the convention of plain.ts; null for SQL NULL. */
  readonly values: readonly unknown[];
}

// How each column travels into DuckDB: a staging type plus the SQL that turns it into the final type.
const staging: Record<SqlType, { type: DuckDBType; to: (c: string) => string; value?: (v: unknown) => unknown }> = {
  BOOLEAN: { type: BOOLEAN, to: (c) => c },
  INTEGER: { type: INTEGER, to: (c) => c },
  BIGINT: { type: BIGINT, to: (c) => c, value: (v) => BigInt(v as number | bigint) },
  DOUBLE: { type: DOUBLE, to: (c) => c },
  VARCHAR: { type: VARCHAR, to: (c) => c },
  DATE: { type: VARCHAR, to: (c) => `${c}::DATE` },
  // Epoch ms → whole microseconds, then make_timestamp(micros).
  TIMESTAMP: { type: DOUBLE, to: (c) => `make_timestamp(${c}::BIGINT)`, value: (v) => Math.round((v as number) * 1000) },
};

/** Creates (or replaces) DuckDB table `name` holding the given columns, in row order. */
export async function createTable(name: string, columns: readonly ColumnSpec[]): Promise<void> {
  const n = columns[0]?.values.length ?? 0;
  for (const c of columns) {
    if (c.values.length !== n) throw new Error(`createTable ${name}: column ${c.name} has ${c.values.length} values, expected ${n}`);
  }
  const stage = `${name}__stage`;
  const conn = await duck();
  await conn.run(`CREATE OR REPLACE TABLE ${sqlIdent(stage)} (${columns.map((c, i) => `c${i} ${staging[c.type].type.toString()}`).join(", ")})`);
  const appender = await conn.createAppender(stage);
  const CHUNK = 2048; // DuckDB's vector size
  for (let start = 0; start < n; start += CHUNK) {
    const end = Math.min(start + CHUNK, n);
    const chunk = DuckDBDataChunk.create(columns.map((c) => staging[c.type].type), end - start);
    chunk.setColumns(columns.map((c) => {
      const f = staging[c.type].value;
      return c.values.slice(start, end).map((v) => (v === null || v === undefined ? null : f === undefined ? v : f(v))) as never[];
    }));
    appender.appendDataChunk(chunk);
  }
  appender.flushSync();
  appender.closeSync();
  const select = columns.map((c, i) => `${staging[c.type].to(`c${i}`)} AS ${sqlIdent(c.name)}`).join(", ");
  await conn.run(`CREATE OR REPLACE TABLE ${sqlIdent(name)} AS SELECT ${select} FROM ${sqlIdent(stage)} ORDER BY rowid`);
  await conn.run(`DROP TABLE ${sqlIdent(stage)}`);
}

/** Writes the columns as one Parquet file at `path` (via a DuckDB table also named `name`). Returns `path`. */
export async function writeParquet(
  path: string, name: string, columns: readonly ColumnSpec[], opts: { rowGroupSize?: number } = {},
): Promise<string> {
  await createTable(name, columns);
  const rg = opts.rowGroupSize === undefined ? "" : `, ROW_GROUP_SIZE ${opts.rowGroupSize}`;
  await duckRun(`COPY (SELECT * FROM ${sqlIdent(name)} ORDER BY rowid) TO ${sqlString(path)} (FORMAT parquet${rg})`);
  return path;
}

/** Picks from `items` with a PRNG. */
export function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)] as T;
}

/** `value()` or, with probability `p`, null. */
export function maybeNull<T>(rand: () => number, p: number, value: () => T): T | null {
  return rand() < p ? null : value();
}

/** An integer in [lo, hi]. */
export function intIn(rand: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rand() * (hi - lo + 1));
}
