// The plain-JS value convention both the DuckDB oracle and Tessera's Arrow results are converted to.
//
// | logical type                    | plain JS value                                             |
// | ------------------------------- | ---------------------------------------------------------- |
// | null                            | `null`                                                     |
// | boolean                         | `boolean`                                                  |
// | any integer (8..128 bit)        | `number` when safe, else `bigint`                          |
// | float, double, decimal          | `number` (NaN and ±Infinity kept)                          |
// | string (plain or dictionary)    | `string`                                                   |
// | date (days or ms)               | `"YYYY-MM-DD"` (UTC calendar)                              |
// | timestamp (s, ms, us, ns; tz)   | epoch milliseconds as `number`, fractional below 1 ms      |

/** A result row in the plain-JS convention. */
export type Row = Record<string, unknown>;

/**
 * Rows plus their column names. `columns` is a non-enumerable property on the array, so a result
 * with zero rows still knows its columns and the array prints like any other.
 */
export type Rows = Row[] & { columns?: string[] };

const MS_PER_DAY = 86_400_000;

/** `bigint` → `number` when it round-trips exactly; otherwise the `bigint` itself. */
export function safeInteger(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** Days since 1970-01-01 → "YYYY-MM-DD" (proleptic Gregorian, UTC). */
export function isoDateFromDays(days: number): string {
  return isoDateFromMs(days * MS_PER_DAY);
}

/** Epoch milliseconds → the UTC calendar date "YYYY-MM-DD" it falls on. */
export function isoDateFromMs(ms: number): string {
  const d = new Date(Math.floor(ms / MS_PER_DAY) * MS_PER_DAY);
  const y = d.getUTCFullYear();
  const yyyy = y < 0 ? `-${String(-y).padStart(6, "0")}` : y > 9999 ? `+${String(y).padStart(6, "0")}` : String(y).padStart(4, "0");
  return `${yyyy}-${String(d.getUTCMonth() + 1).padStart(2, "0")}-${String(d.getUTCDate()).padStart(2, "0")}`;
}

export type TimeUnit = "s" | "ms" | "us" | "ns";

/** Ticks of `unit` since the epoch → epoch milliseconds (exact for whole milliseconds). */
export function msFromTicks(ticks: bigint, unit: TimeUnit): number {
  switch (unit) {
    case "s": return Number(ticks * 1000n);
    case "ms": return Number(ticks);
    case "us": return splitDivide(ticks, 1000n);
    case "ns": return splitDivide(ticks, 1_000_000n);
  }
}

function splitDivide(ticks: bigint, per: bigint): number {
  const whole = ticks / per; // truncates toward zero; the remainder keeps the sign
  return Number(whole) + Number(ticks - whole * per) / Number(per);
}

/** Attaches column names to a row array without making them an enumerable element. */
export function withColumnNames(rows: Row[], columns: string[]): Rows {
  Object.defineProperty(rows, "columns", { value: columns, enumerable: false, writable: true, configurable: true });
  return rows as Rows;
}

/** Column names of a row set: the attached ones, else the keys of the first row. */
export function columnsOf(rows: Rows): string[] {
  return rows.columns ?? (rows.length > 0 ? Object.keys(rows[0] as Row) : []);
}

/** Builds row objects from parallel column arrays. */
export function rowsFromColumns(names: string[], columns: unknown[][], length: number): Rows {
  const rows: Row[] = new Array<Row>(length);
  for (let i = 0; i < length; i++) {
    const row: Row = {};
    for (let c = 0; c < names.length; c++) row[names[c] as string] = (columns[c] as unknown[])[i];
    rows[i] = row;
  }
  return withColumnNames(rows, names);
}
