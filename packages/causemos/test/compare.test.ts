// The golden-tree comparator: golden equals itself, and a changed cell, a missing or extra object and a swapped tile are caught.
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { compareCsv, compareJson, compareTrees, formatDifferences } from "@tessera/causemos";
import { fixture } from "./fixtures.js";

const RUN = "models/geo-test-data/test-run";
const dirs: string[] = [];
function goldenCopy(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "causemos-compare-"));
  dirs.push(dir);
  cpSync(fixture("golden-geo"), dir, { recursive: true });
  return dir;
}
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

describe("compareTrees on the golden tree", () => {
  it("finds no difference between golden-geo and a copy of itself (355 objects)", async () => {
    const copy = goldenCopy();
    expect(formatDifferences(await compareTrees(fixture("golden-geo"), copy))).toBe("no differences");
  });

  it("catches one changed cell in a regional CSV", async () => {
    const copy = goldenCopy();
    const file = path.join(copy, RUN, "month/feature1/timeseries/global/global.csv");
    const text = readFileSync(file, "utf8");
    writeFileSync(file, text.replace("156.1,31.22", "156.1,31.23"));
    const diffs = await compareTrees(fixture("golden-geo"), copy);
    expect(diffs).toHaveLength(1);
    expect(diffs[0]).toMatchObject({ key: `${RUN}/month/feature1/timeseries/global/global.csv`, kind: "content" });
    expect(diffs[0]!.detail).toContain("s_mean_t_sum");
  });

  it("lets summation-order noise through (relative 1e-9) but not a real difference", async () => {
    const copy = goldenCopy();
    const file = path.join(copy, RUN, "month/feature1/timeseries/global/global.csv");
    writeFileSync(file, readFileSync(file, "utf8").replace("432.4,86.47999999999999", "432.40000000000003,86.48"));
    expect(await compareTrees(fixture("golden-geo"), copy)).toEqual([]);
  });

  it("catches a missing object and an extra one", async () => {
    const copy = goldenCopy();
    unlinkSync(path.join(copy, RUN, "raw/feature2/info/region_lists.json"));
    writeFileSync(path.join(copy, RUN, "results/extra.json"), "{}");
    const diffs = await compareTrees(fixture("golden-geo"), copy);
    expect(diffs.map((d) => [d.kind, d.key])).toEqual([["missing", `${RUN}/raw/feature2/info/region_lists.json`], ["extra", `${RUN}/results/extra.json`]]);
  });

  it("catches two tiles whose contents were swapped", async () => {
    const copy = goldenCopy();
    const a = path.join(copy, RUN, "month/feature1/tiles/1546300800000-8-156-120.tile");
    const b = path.join(copy, RUN, "month/feature1/tiles/1561939200000-8-156-120.tile");
    const [ba, bb] = [readFileSync(a), readFileSync(b)];
    expect(ba.equals(bb)).toBe(false);
    writeFileSync(a, bb);
    writeFileSync(b, ba);
    const diffs = await compareTrees(fixture("golden-geo"), copy);
    expect(new Set(diffs.map((d) => d.key))).toEqual(new Set([`${RUN}/month/feature1/tiles/1546300800000-8-156-120.tile`, `${RUN}/month/feature1/tiles/1561939200000-8-156-120.tile`]));
    expect(diffs.every((d) => d.kind === "content" && /bin \d+ s_sum_t_(sum|mean)/.test(d.detail))).toBe(true);
  });

  it("catches a tile moved to other coordinates", async () => {
    const copy = goldenCopy();
    const a = path.join(copy, RUN, "year/feature2/tiles/1546300800000-3-4-3.tile");
    const b = path.join(copy, RUN, "year/feature2/tiles/1546300800000-0-0-0.tile");
    writeFileSync(b, readFileSync(a));
    const diffs = await compareTrees(fixture("golden-geo"), copy);
    expect(diffs.some((d) => d.key.endsWith("1546300800000-0-0-0.tile") && d.detail.startsWith("coord.x"))).toBe(true);
  });
});

describe("compareCsv rules", () => {
  it("matches rows by key whatever their order, and by the first two columns when the second is `qualifier`", () => {
    expect(compareCsv("a.csv", "id,x\nA,1.0\nB,2.0\n", "id,x\nB,2\nA,1.0\n")).toEqual([]);
    expect(compareCsv("a.csv", "id,qualifier,x\nA,q1,1.0\nA,q2,2.0\n", "id,qualifier,x\nA,q2,2.0\nA,q1,1.0\n")).toEqual([]);
    expect(compareCsv("a.csv", "id,qualifier,x\nA,q1,1.0\nA,q2,2.0\n", "id,qualifier,x\nA,q2,1.0\nA,q1,2.0\n")).toHaveLength(2);
  });

  it("treats an empty cell as NaN, equal only to another empty cell", () => {
    expect(compareCsv("a.csv", "t,x\n0,\n", "t,x\n0,\n")).toEqual([]);
    expect(compareCsv("a.csv", "t,x\n0,\n", "t,x\n0,0.0\n")).toHaveLength(1);
  });

  it("compares rows as a multiset where the golden key repeats, numbers canonicalised (50 equals 50.0)", () => {
    const golden = "timestamp,country,value\n1559372400000.0,A,50\n1559372400000.0,A,3.5\n";
    expect(compareCsv("raw.csv", golden, "timestamp,country,value\n1559372400000,A,3.5\n1559372400000,A,50.0\n")).toEqual([]);
    expect(compareCsv("raw.csv", golden, "timestamp,country,value\n1559372400000,A,3.5\n1559372400000,A,51\n")).toHaveLength(1);
  });

  it("compares pivot headers as sets, matching columns by name", () => {
    const key = "m/r/year/f/timeseries/qualifiers/q/s_count.csv";
    expect(compareCsv(key, "timestamp,qa,qb\n0,2,1\n", "timestamp,qb,qa\n0,1,2\n")).toEqual([]);
    expect(compareCsv(key, "timestamp,qa,qb\n0,2,1\n", "timestamp,qb,qa\n0,2,1\n")).toEqual(['row 0: column qa: golden "2", actual "1"']);
    expect(compareCsv("m/r/year/f/timeseries/global/global.csv", "timestamp,qa,qb\n", "timestamp,qb,qa\n")).toHaveLength(1);
  });

  it("reads quoted fields with commas and doubled quotes", () => {
    expect(compareCsv("a.csv", 'id,x\n"Southern Nations, Nationalities",1.0\n"say ""hi""",2.0\n', 'id,x\n"say ""hi""",2.0\n"Southern Nations, Nationalities",1\n')).toEqual([]);
  });
});

describe("compareJson rules", () => {
  it("compares lists as multisets and objects by key sets, ignoring order", () => {
    expect(compareJson('{"a": [1, 2, {"x": "y"}], "b": true}', '{"b": true, "a": [{"x": "y"}, 2.0, 1]}')).toEqual([]);
    expect(compareJson('{"a": [1, 1, 2]}', '{"a": [1, 2, 2]}')).toHaveLength(1);
    expect(compareJson('{"a": 1}', '{"a": 1, "b": 2}')).toEqual(["$.b: not in golden"]);
    expect(compareJson('{"a": null}', '{"a": 0}')).toHaveLength(1);
  });
});
