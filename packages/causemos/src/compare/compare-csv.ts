// CSV objects compared by the golden rules: same header, rows matched by key, a multiset where keys repeat.
import { parseCsv } from "./csv-parse.js";
import { cellsEqual, parseNumber } from "./numbers.js";

/** Pivot tables have data-dependent column orders: their headers compare as sets, columns by name. */
function headerIsSet(key: string): boolean {
  return key.includes("/timeseries/qualifiers/");
}

/** A row's canonical text for multiset sorting: numeric cells as their numeric value, others as they are. */
function canonical(row: readonly string[]): string[] {
  return row.map((c) => {
    const n = c === "" ? null : parseNumber(c);
    return n === null ? `s:${c}` : `n:${String(n)}`;
  });
}

function rowsDiffer(golden: readonly string[], actual: readonly string[], names: readonly string[]): string | null {
  for (let i = 0; i < names.length; i++) {
    if (!cellsEqual(golden[i] ?? "", actual[i] ?? "")) return `column ${names[i]}: golden "${golden[i]}", actual "${actual[i]}"`;
  }
  return null;
}

/**
 * The differences between two CSV texts under the comparison rules (empty when they agree). `key` is the
 * object's key, which decides whether the header compares as a set.
 */
export function compareCsv(key: string, goldenText: string, actualText: string): string[] {
  const golden = parseCsv(goldenText);
  const actual = parseCsv(actualText);
  const gh = golden[0] ?? [];
  const ah = actual[0] ?? [];
  let order: number[]; // actual column index for each golden column
  if (headerIsSet(key)) {
    const same = gh.length === ah.length && gh.every((h) => ah.includes(h)) && new Set(gh).size === gh.length;
    if (!same) return [`header differs (as a set): golden [${gh.join(",")}], actual [${ah.join(",")}]`];
    order = gh.map((h) => ah.indexOf(h));
  } else {
    if (gh.join("\u0000") !== ah.join("\u0000")) return [`header differs: golden [${gh.join(",")}], actual [${ah.join(",")}]`];
    order = gh.map((_, i) => i);
  }
  const gRows = golden.slice(1);
  const aRows = actual.slice(1).map((r) => order.map((j) => r[j] ?? ""));
  if (gRows.length !== aRows.length) return [`${gRows.length} data rows in golden, ${aRows.length} in actual`];
  const keyWidth = gh[1] === "qualifier" ? 2 : 1;
  const keyOf = (r: readonly string[]): string => r.slice(0, keyWidth).join("\u0000");
  const gKeys = gRows.map(keyOf);
  if (new Set(gKeys).size !== gKeys.length) return compareMultiset(gRows, aRows, gh);
  const byKey = new Map<string, string[]>();
  for (const r of aRows) byKey.set(keyOf(r), r);
  const out: string[] = [];
  for (const g of gRows) {
    const a = byKey.get(keyOf(g));
    if (a === undefined) { out.push(`row ${g.slice(0, keyWidth).join(",")}: missing in actual`); continue; }
    const d = rowsDiffer(g, a, gh);
    if (d !== null) out.push(`row ${g.slice(0, keyWidth).join(",")}: ${d}`);
  }
  if (byKey.size !== aRows.length) out.push("actual has repeated keys");
  return out;
}

/** Rows with repeated keys: both sides' canonical rows sorted, then compared pairwise. */
function compareMultiset(gRows: string[][], aRows: string[][], names: readonly string[]): string[] {
  const sortRows = (rows: string[][]): string[][] => rows
    .map((r) => ({ r, k: canonical(r).join("\u0000") }))
    .sort((x, y) => (x.k < y.k ? -1 : x.k > y.k ? 1 : 0))
    .map((x) => x.r);
  const g = sortRows(gRows);
  const a = sortRows(aRows);
  const out: string[] = [];
  for (let i = 0; i < g.length && out.length < 20; i++) {
    const d = rowsDiffer(g[i] as string[], a[i] as string[], names);
    if (d !== null) out.push(`row ${i} of the sorted rows: ${d}`);
  }
  return out;
}
