// isIn: membership of each row in a literal list, through the same value tables as grouping (SQL null semantics).
import { isTemporal } from "@tessera/common";
import type { LitValue } from "@tessera/expr";
import type { Column, NumColumn } from "../column.js";
import { columnFromValues } from "../build.js";
import { isIntegerLike } from "../dtype-arrays.js";
import { encodeColumn, familyOf, newKeyTable } from "../key-table.js";
import { castColumn } from "./cast.js";
import { columnToArray } from "../to-array.js";
import { takeColumn } from "../take.js";
import { concatColumns } from "../concat.js";

/** The list as a column of the argument's type; values that cannot equal any row of that type are dropped. */
function listColumn(arg: Column, values: readonly LitValue[]): Column {
  const t = arg.type;
  if (t === "utf8") return columnFromValues("utf8", values.filter((v) => typeof v === "string"));
  if (isTemporal(t)) {
    // Numbers are epoch milliseconds (what the builder makes of Date values); bigints are raw stored units.
    const ms = values.filter((v): v is number => typeof v === "number" && Number.isInteger(v));
    const raw = values.filter((v): v is bigint => typeof v === "bigint");
    const inT = castColumn(columnFromValues("timestamp[ms]", ms), t);
    const back = columnToArray(castColumn(inT, "timestamp[ms]"));
    const exact = Int32Array.from(ms.map((_, i) => i).filter((i) => back[i] === ms[i]));
    return concatColumns([takeColumn(inT, exact), columnFromValues(t, raw)], t);
  }
  const nums = values.filter((v) => typeof v === "number" || typeof v === "bigint" || typeof v === "boolean");
  const fitting = isIntegerLike(t) ? nums.filter((v) => typeof v !== "number" || Number.isInteger(v)) : nums;
  return columnFromValues(t === "null" ? "float64" : t, fitting);
}

/** 1 where the row's value is in the list; null for null rows, and for unmatched rows when the list holds a null. */
export function isIn(arg: Column, values: readonly LitValue[]): NumColumn {
  const n = arg.length;
  const out = new Uint8Array(n);
  const listHasNull = values.some((v) => v === null);
  const list = listColumn(arg, values);
  if (arg.type !== "null" && list.length > 0) {
    const table = newKeyTable(familyOf(list), list.length);
    encodeColumn(table, list, true);
    const codes = encodeColumn(table, arg, false);
    for (let i = 0; i < n; i++) out[i] = (codes[i] as number) >= 0 ? 1 : 0;
  }
  let valid: Uint8Array | null = arg.type === "null" ? new Uint8Array(n) : arg.valid === null ? null : arg.valid.slice();
  if (listHasNull) {
    valid ??= new Uint8Array(n).fill(1);
    for (let i = 0; i < n; i++) if (out[i] === 0) valid[i] = 0;
  }
  return { kind: "num", type: "bool", length: n, values: out, valid: valid !== null && valid.indexOf(0) < 0 ? null : valid };
}
