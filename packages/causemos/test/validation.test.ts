// Validation rules (spec §4, vectors of §16.4): empty columns, types, text fill, counters in order, weights, bounds.
import { afterAll, describe, expect, it } from "vitest";
import { effectiveWeight, MAX_TIMESTAMP_MS, readInput, ROW, validate } from "@tessera/causemos";
import type { Vector } from "apache-arrow";
import { closeParquetWriter, parquetOf, tempDir } from "./support.js";

const { dir, cleanup } = tempDir("validation");
afterAll(async () => { await closeParquetWriter(); cleanup(); });

let n = 0;
async function validated(sql: string, opts: { fill?: number; weight?: string } = {}) {
  const input = await readInput([await parquetOf(dir, `v${n++}.parquet`, sql)]);
  const v = await validate({ ...input, frame: input.frame.withRowIndex(ROW) }, opts.fill ?? 0, opts.weight ?? "");
  const t = await v.frame.collect();
  const column = (c: string): unknown[] => Array.from(t.getChild(c) as Vector, (x) => (typeof x === "bigint" ? Number(x) : x));
  return { ...v, table: t, column };
}

describe("validation", () => {
  it("drops columns that are entirely null (country, other_col2) and keeps partly null ones (lat, lng) and other_col", async () => {
    const v = await validated(`SELECT * FROM (VALUES (1::BIGINT, 'f', 1.0::DOUBLE, NULL::VARCHAR, 1.5::DOUBLE, NULL::DOUBLE, 'x', NULL::VARCHAR),
      (2, 'f', 2.0, NULL, NULL, 2.5::DOUBLE, NULL, NULL)) t(timestamp, feature, value, country, lat, lng, other_col, other_col2)`);
    expect(v.roles.all).toEqual(["timestamp", "feature", "value", "lat", "lng", "other_col"]);
    expect(v.roles.qualifiers).toEqual(["other_col"]);
    expect(v.roles.regions).toEqual([]);
  });

  it("drops a column of whitespace-only text, keeps one of empty strings; never drops timestamp, feature or value", async () => {
    const v = await validated(`SELECT * FROM (VALUES (1::BIGINT, 'f', NULL::DOUBLE, '  ', ''), (2, 'f', NULL, NULL, '')) t(timestamp, feature, value, blank, empty)`);
    expect(v.roles.all).toEqual(["timestamp", "feature", "value", "empty"]);
  });

  it("casts value text to float64 and unparseable lat text to a missing value", async () => {
    const v = await validated(`SELECT * FROM (VALUES (1::BIGINT, 'f', '1.1', 'string', '1'), (2, 'f', '2.2', '2.2', '2'), (3, 'f', '3.3', '3.3', '3')) t(timestamp, feature, value, lat, lng)`);
    expect(v.column("value")).toEqual([1.1, 2.2, 3.3]);
    expect(v.column("lat")).toEqual([null, 2.2, 3.3]);
  });

  it("counts missing timestamps and fills them, counts missing values, fills text nulls with \"None\"", async () => {
    const v = await validated(`SELECT * FROM (VALUES (1::BIGINT, 'f', NULL::DOUBLE, 'val1'), (NULL, 'f', NULL, NULL), (3, 'f', NULL, 'val2')) t(timestamp, feature, value, country)`, { fill: 0 });
    expect(v.counters).toMatchObject({ num_rows: 3, num_missing_ts: 1, num_missing_val: 3, num_invalid_ts: 0 });
    expect(v.column("timestamp")).toEqual([1, 0, 3]);
    expect(v.column("country")).toEqual(["val1", "None", "val2"]);
  });

  it("counts in the spec's order: missing timestamps before the fill, invalid ones after it (a huge fill makes them invalid)", async () => {
    const v = await validated(`SELECT * FROM (VALUES (NULL::BIGINT, 'f', 1.0::DOUBLE), (5, 'f', 2.0)) t(timestamp, feature, value)`, { fill: 1e13 });
    expect(v.counters).toMatchObject({ num_rows: 2, num_missing_ts: 1, num_invalid_ts: 1, num_missing_val: 0 });
    expect(v.column("timestamp")).toEqual([5]);
  });

  it("parses the weight column, missing or unparseable weights becoming 0; a name that is not a column is unweighted", async () => {
    const v = await validated(`SELECT * FROM (VALUES (1::BIGINT, 'f', 1.0::DOUBLE, '1'), (2, 'f', 2.0, NULL), (3, 'f', 3.0, '2'), (4, 'f', 4.0, 'x')) t(timestamp, feature, value, other_col)`, { weight: "other_col" });
    expect(v.roles.weight).toBe("other_col");
    expect(v.roles.qualifiers).toEqual([]);
    expect(v.column("other_col")).toEqual([1, 0, 2, 0]);
    expect(effectiveWeight(["timestamp", "feature", "value"], "other_col")).toBe("");
    expect(effectiveWeight(["timestamp", "w"], "w")).toBe("w");
  });

  it("a weight column dropped as empty leaves the run unweighted", async () => {
    const v = await validated(`SELECT * FROM (VALUES (1::BIGINT, 'f', 1.0::DOUBLE, NULL::DOUBLE)) t(timestamp, feature, value, w)`, { weight: "w" });
    expect(v.roles.weight).toBe("");
    expect(v.roles.all).toEqual(["timestamp", "feature", "value"]);
  });

  it("removes invalid timestamps (counted), turns ±inf into missing values (not counted, Q4), deletes // in region names", async () => {
    const max = Math.ceil(MAX_TIMESTAMP_MS);
    const v = await validated(`SELECT * FROM (VALUES (1::BIGINT, 'f', 'inf'::DOUBLE, 'val1//2', 'a//b'), (2, 'f', '-inf'::DOUBLE, 'val2', 'c'), (${max + 1}, 'f', 3.4::DOUBLE, 'val3', 'd')) t(timestamp, feature, value, admin1, q)`);
    expect(v.counters).toMatchObject({ num_rows: 3, num_invalid_ts: 1, num_missing_val: 0 });
    expect(v.table.numRows).toBe(2);
    expect(v.column("value")).toEqual([null, null]);
    expect(v.column("admin1")).toEqual(["val12", "val2"]);
    expect(v.column("q")).toEqual(["a//b", "c"]); // only region columns lose "//" (Q18)
    const w = await validated(`SELECT * FROM (VALUES (1::BIGINT, 'f', 1.0::DOUBLE, 'a///b')) t(timestamp, feature, value, country)`);
    expect(w.column("country")).toEqual(["a/b"]);
  });

  it("writes numeric qualifiers as Python text (Q25): 3 from integers, 3.0 from floats or integers with nulls, None for nulls", async () => {
    const v = await validated(`SELECT * FROM (VALUES (1::BIGINT, 'f', 1.0::DOUBLE, 3::BIGINT, 3.0::DOUBLE, 1::BIGINT, true), (2, 'f', 1.0, 4, 1e-5::DOUBLE, NULL, NULL)) t(timestamp, feature, value, qi, qf, qn, qb)`);
    expect(v.roles.qualifiers).toEqual(["qi", "qf", "qn", "qb"]);
    expect(v.column("qi")).toEqual(["3", "4"]);
    expect(v.column("qf")).toEqual(["3.0", "1e-05"]);
    expect(v.column("qn")).toEqual(["1.0", "None"]);
    expect(v.column("qb")).toEqual(["True", "None"]);
    expect(v.rawFloatInts).toEqual(new Set(["qn"]));
  });
});
