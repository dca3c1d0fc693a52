// Null handling: isNull, isNotNull, fillNull.
import type { DType } from "@tessera/common";
import type { Column, NumColumn } from "../column.js";
import { castColumn } from "./cast.js";
import { chooseColumns } from "./select.js";

/** 1 where the row is null (isNull) or not null (isNotNull); never null itself. */
export function nullTest(fn: "isNull" | "isNotNull", col: Column): NumColumn {
  const n = col.length;
  const out = new Uint8Array(n);
  const v = col.type === "null" ? new Uint8Array(n) : col.valid;
  const isNull = fn === "isNull" ? 1 : 0;
  if (v === null) out.fill(1 - isNull);
  else for (let i = 0; i < n; i++) out[i] = v[i] === 0 ? isNull : 1 - isNull;
  return { kind: "num", type: "bool", length: n, values: out, valid: null };
}

/** Rows of `arg` with nulls replaced by the same row of `value`; both cast to `out` first. */
export function fillNull(arg: Column, value: Column, out: DType): Column {
  const a = castColumn(arg, out);
  if (a.valid === null && a.type !== "null") return a;
  const v = castColumn(value, out);
  const n = a.length;
  const pick = new Uint8Array(n);
  const av = a.valid ?? new Uint8Array(n);
  for (let i = 0; i < n; i++) pick[i] = av[i] === 0 ? 1 : 0;
  return chooseColumns(out, [a, v], pick, n);
}
