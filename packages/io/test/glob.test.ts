// Glob expansion over file:// and memory://: wildcards, directories, ordering and not-found errors.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expandUrls, globToRegExp, storeFor } from "@tessera/io";
import { tempDir } from "./helpers.js";

const { dir, cleanup } = tempDir();
const files = ["a.parquet", "b.parquet", "c.csv", "x/y=1/p.parquet", "x/y=2/q.parquet", "x/y=2/deeper/r.parquet", "x/_SUCCESS", "x/.tmp-1"];

beforeAll(async () => {
  for (const f of files) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), "z");
    await storeFor("memory://").put(`memory://glob/${f}`, new Uint8Array(1));
  }
});
afterAll(cleanup);

describe("globToRegExp", () => {
  it("keeps * and ? inside one segment and lets ** cross segments (including none)", () => {
    expect(globToRegExp("/d/*.csv").test("/d/a.csv")).toBe(true);
    expect(globToRegExp("/d/*.csv").test("/d/e/a.csv")).toBe(false);
    expect(globToRegExp("/d/?.csv").test("/d/ab.csv")).toBe(false);
    expect(globToRegExp("/d/**/a.csv").test("/d/a.csv")).toBe(true);
    expect(globToRegExp("/d/**/a.csv").test("/d/e/f/a.csv")).toBe(true);
    expect(globToRegExp("/d/**").test("/d/e/f")).toBe(true);
    expect(globToRegExp("/d/a+b(1).csv").test("/d/a+b(1).csv")).toBe(true);
  });
});

for (const [name, root] of [["file", dir], ["memory", "memory://glob"]] as const) {
  describe(`expandUrls over ${name}`, () => {
    it("expands *, ? and ** to sorted matches", async () => {
      expect(await expandUrls(`${root}/*.parquet`)).toEqual([`${root}/a.parquet`, `${root}/b.parquet`]);
      expect(await expandUrls(`${root}/?.csv`)).toEqual([`${root}/c.csv`]);
      expect(await expandUrls(`${root}/x/**/*.parquet`)).toEqual([
        `${root}/x/y=1/p.parquet`, `${root}/x/y=2/deeper/r.parquet`, `${root}/x/y=2/q.parquet`,
      ]);
      expect(await expandUrls(`${root}/x/*/*.parquet`)).toEqual([`${root}/x/y=1/p.parquet`, `${root}/x/y=2/q.parquet`]);
    });

    it("passes an existing object through and expands a directory to its data files", async () => {
      expect(await expandUrls(`${root}/c.csv`)).toEqual([`${root}/c.csv`]);
      expect(await expandUrls(`${root}/x`)).toEqual([`${root}/x/y=1/p.parquet`, `${root}/x/y=2/deeper/r.parquet`, `${root}/x/y=2/q.parquet`]);
    });

    it("keeps the order of a list and drops duplicates", async () => {
      expect(await expandUrls([`${root}/c.csv`, `${root}/*.parquet`, `${root}/a.parquet`])).toEqual([
        `${root}/c.csv`, `${root}/a.parquet`, `${root}/b.parquet`,
      ]);
    });

    it("fails with IO_NOT_FOUND naming the pattern when nothing matches", async () => {
      await expect(expandUrls(`${root}/*.json`)).rejects.toMatchObject({ code: "IO_NOT_FOUND", message: `no files match ${root}/*.json` });
      await expect(expandUrls(`${root}/nope.csv`)).rejects.toMatchObject({ code: "IO_NOT_FOUND" });
      await expect(expandUrls([])).rejects.toMatchObject({ code: "IO_NOT_FOUND" });
    });
  });
}

it("normalizes relative patterns against the working directory", async () => {
  const rel = path.relative(process.cwd(), dir);
  expect(await expandUrls(path.join(rel, "*.csv"))).toEqual([path.join(dir, "c.csv")]);
});
