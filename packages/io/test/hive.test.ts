// Hive partitions: key=value segments, typing across files, constant columns.
import { describe, expect, it } from "vitest";
import { HIVE_NULL, hiveFields, hivePartitionValues, hiveValue, withHiveColumns } from "@tessera/io";
import { batchFromColumns, columnToArray } from "@tessera/kernels";

describe("hivePartitionValues", () => {
  it("reads key=value directory segments below the root or the glob's literal prefix", () => {
    expect(hivePartitionValues("/data/year=2024/month=01/part-0.parquet", "/data/**/*.parquet")).toEqual({ year: "2024", month: "01" });
    expect(hivePartitionValues("/data/year=2024/part-0.parquet", "/data")).toEqual({ year: "2024" });
    expect(hivePartitionValues("memory://b/t/region=East%20Africa/x=1/f.csv", "memory://b/t/")).toEqual({ region: "East Africa", x: "1" });
  });

  it("unescapes names and values; the default partition is null, an escaped one is the literal string", () => {
    expect(hivePartitionValues(`/d/a%3Db=x%2Fy/e=/n=${HIVE_NULL}/s=%5F_HIVE_DEFAULT_PARTITION__/f.parquet`, "/d")).toEqual({
      "a=b": "x/y", e: "", n: null, s: HIVE_NULL,
    });
  });

  it("ignores segments above the root, plain directories and the file name", () => {
    expect(hivePartitionValues("/k=v/data/a=1/plain/f=1.parquet", "/k=v/data/")).toEqual({ a: "1" });
    expect(hivePartitionValues("/data/f.parquet", "/data/f.parquet")).toEqual({});
  });
});

describe("hiveFields", () => {
  it("types keys int64 when every value is an integer, else utf8; nulls and missing keys make them nullable", () => {
    const vals = [{ year: "2023", region: "a" }, { year: "2024", region: null }, { year: "-7", region: "12" }];
    expect(hiveFields(vals)).toEqual([
      { name: "year", type: "int64", nullable: false },
      { name: "region", type: "utf8", nullable: true },
    ]);
    expect(hiveFields([{ a: "1" }, { a: "1.5" }])).toEqual([{ name: "a", type: "utf8", nullable: false }]);
    expect(hiveFields([{ a: "1" }, {}])).toEqual([{ name: "a", type: "int64", nullable: true }]);
    expect(hiveFields([{ a: "99999999999999999999" }])).toEqual([{ name: "a", type: "utf8", nullable: false }]);
  });

  it("converts values to the field's type", () => {
    expect(hiveValue("0042", { name: "y", type: "int64", nullable: false })).toBe(42n);
    expect(hiveValue(null, { name: "y", type: "int64", nullable: true })).toBe(null);
    expect(hiveValue("x", { name: "r", type: "utf8", nullable: false })).toBe("x");
  });
});

describe("withHiveColumns", () => {
  it("appends constant columns: int64 values, utf8 as a one-entry dictionary, null for the default partition", () => {
    const b = batchFromColumns({ v: Float64Array.of(1, 2, 3) });
    const fields = hiveFields([{ year: "2024", region: "north", z: null }, { year: "1", region: "s", z: "3" }]);
    const out = withHiveColumns(b, { year: "2024", region: "north", z: null }, fields);
    expect(out.fields.map((f) => `${f.name}:${f.type}`)).toEqual(["v:float64", "year:int64", "region:utf8", "z:int64"]);
    expect(out.columns[2]?.kind).toBe("dict");
    expect(out.columns.map(columnToArray)).toEqual([[1, 2, 3], [2024, 2024, 2024], ["north", "north", "north"], [null, null, null]]);
  });
});
