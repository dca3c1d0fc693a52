// DuckDB as the oracle: one in-memory instance per test file, results converted to the plain-JS convention.
import { DuckDBInstance, DuckDBTypeId } from "@duckdb/node-api";
import type { DuckDBConnection, DuckDBDateValue, DuckDBDecimalValue, DuckDBValue } from "@duckdb/node-api";
import { isoDateFromDays, msFromTicks, rowsFromColumns, safeInteger } from "./plain.js";
import type { Rows } from "./plain.js";

// Vitest loads this module once per test file, so module state is the per-file shared instance.
let connection: Promise<{ instance: DuckDBInstance; conn: DuckDBConnection }> | undefined;

/**
 * The file's shared DuckDB connection (created on first use). One thread: the oracle's answers are then
 * reproducible run to run, and the machine's other core stays free for Tessera.
 */
export async function duck(): Promise<DuckDBConnection> {
  connection ??= (async () => {
    const instance = await DuckDBInstance.create(":memory:", { threads: "1" });
    return { instance, conn: await instance.connect() };
  })();
  return (await connection).conn;
}

/** Runs statements whose results are not needed (DDL, COPY, INSERT). */
export async function duckRun(sql: string): Promise<void> {
  await (await duck()).run(sql);
}

/** Runs a query and returns its rows in the plain-JS convention (see plain.ts), with `columns` attached. */
export async function duckRows(sql: string): Promise<Rows> {
  const reader = await (await duck()).runAndReadAll(sql);
  const names = reader.columnNames();
  if (new Set(names).size !== names.length) throw new Error(`duckRows: duplicate column names in ${JSON.stringify(names)}`);
  const raw = reader.getColumns();
  const columns = raw.map((values, c) => convertColumn(values, reader.columnTypeId(c)));
  return rowsFromColumns(names, columns, reader.currentRowCount);
}

/** A single value: the first column of the first row. */
export async function duckValue(sql: string): Promise<unknown> {
  const rows = await duckRows(sql);
  const first = rows[0];
  if (first === undefined) throw new Error(`duckValue: no rows from ${sql}`);
  return Object.values(first)[0];
}

/** Closes the file's instance (call from afterAll; the next duck() opens a fresh one). */
export async function closeDuck(): Promise<void> {
  if (connection === undefined) return;
  const { instance, conn } = await connection;
  connection = undefined;
  conn.closeSync();
  instance.closeSync();
}

/** A SQL string literal: `'it''s'`. Use for paths and values spliced into SQL. */
export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/** A SQL identifier: `"my col"`. */
export function sqlIdent(s: string): string {
  return `"${s.replaceAll('"', '""')}"`;
}

/** A SQL list of paths for read_parquet / read_csv: `['a', 'b']`. */
export function sqlList(items: readonly string[]): string {
  return `[${items.map(sqlString).join(", ")}]`;
}

type Convert = (v: DuckDBValue) => unknown;

const identity: Convert = (v) => v;
const bigintToNumber: Convert = (v) => safeInteger(v as bigint);

const byTypeId: Partial<Record<DuckDBTypeId, Convert>> = {
  [DuckDBTypeId.BOOLEAN]: identity,
  [DuckDBTypeId.TINYINT]: identity,
  [DuckDBTypeId.SMALLINT]: identity,
  [DuckDBTypeId.INTEGER]: identity,
  [DuckDBTypeId.UTINYINT]: identity,
  [DuckDBTypeId.USMALLINT]: identity,
  [DuckDBTypeId.UINTEGER]: identity,
  [DuckDBTypeId.FLOAT]: identity,
  [DuckDBTypeId.DOUBLE]: identity,
  [DuckDBTypeId.VARCHAR]: identity,
  [DuckDBTypeId.ENUM]: identity,
  [DuckDBTypeId.BIGINT]: bigintToNumber,
  [DuckDBTypeId.UBIGINT]: bigintToNumber,
  [DuckDBTypeId.HUGEINT]: bigintToNumber,
  [DuckDBTypeId.UHUGEINT]: bigintToNumber,
  [DuckDBTypeId.DECIMAL]: (v) => (v as DuckDBDecimalValue).toDouble(),
  [DuckDBTypeId.DATE]: (v) => isoDateFromDays((v as DuckDBDateValue).days),
  [DuckDBTypeId.TIMESTAMP]: (v) => msFromTicks((v as unknown as { micros: bigint }).micros, "us"),
  [DuckDBTypeId.TIMESTAMP_TZ]: (v) => msFromTicks((v as unknown as { micros: bigint }).micros, "us"),
  [DuckDBTypeId.TIMESTAMP_S]: (v) => msFromTicks((v as unknown as { seconds: bigint }).seconds, "s"),
  [DuckDBTypeId.TIMESTAMP_MS]: (v) => msFromTicks((v as unknown as { millis: bigint }).millis, "ms"),
  [DuckDBTypeId.TIMESTAMP_NS]: (v) => msFromTicks((v as unknown as { nanos: bigint }).nanos, "ns"),
  [DuckDBTypeId.SQLNULL]: () => null,
};

function convertColumn(values: DuckDBValue[], typeId: DuckDBTypeId): unknown[] {
  const convert = byTypeId[typeId];
  if (convert === identity) return values;
  const f = convert ?? ((v: DuckDBValue) => String(v)); // types the suite does not use: readable text
  const out = new Array<unknown>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = v === null || v === undefined ? null : f(v);
  }
  return out;
}
