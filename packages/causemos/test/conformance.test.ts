// Conformance: the pipeline on geo-test-data.parquet writes the golden tree of the original, object for object.
import { afterAll, describe, expect, it } from "vitest";
import { mkdirSync, statSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { compareTrees, formatDifferences, runCausemos } from "@tessera/causemos";
import { fixture } from "./fixtures.js";
import { readTree, tempDir } from "./support.js";

const { dir, cleanup } = tempDir("golden");
afterAll(cleanup);

/** The fixture README's parameters: everything else is the flow's default. */
const GOLDEN_PARAMS = { model_id: "geo-test-data", run_id: "test-run" } as const;

describe("golden-geo", () => {
  it("the output tree equals the original's under the comparison rules (zero differences)", async () => {
    const report = await runCausemos({ ...GOLDEN_PARAMS, data_paths: [fixture("geo-test-data.parquet")] }, { out: `file://${dir}/models` });
    const diffs = await compareTrees(fixture("golden-geo"), dir);
    expect(formatDifferences(diffs)).toBe("no differences");
    expect(report.written.objects).toBe(355);
    expect(report.wroteResults).toBe(true);
  });

  it("a re-run into the same tree overwrites it and still compares equal", async () => {
    await runCausemos({ ...GOLDEN_PARAMS, data_paths: [fixture("geo-test-data.parquet")] }, { out: `file://${dir}/models` });
    expect(formatDifferences(await compareTrees(fixture("golden-geo"), dir))).toBe("no differences");
  });

  it("writes results.json last, after every other object is stored", () => {
    const run = path.join(dir, "models", "geo-test-data", "test-run");
    const results = statSync(path.join(run, "results", "results.json")).mtimeMs;
    const others = [...readTree(run).keys()].filter((k) => k !== "results/results.json").map((k) => statSync(path.join(run, k)).mtimeMs);
    expect(others.length).toBe(354);
    expect(results).toBeGreaterThanOrEqual(Math.max(...others));
  });

  it("a run that fails after writing objects leaves no results.json, even where an earlier run had written one", async () => {
    const out = path.join(dir, "failing");
    const run = path.join(out, "geo-test-data", "test-run");
    mkdirSync(path.join(run, "results"), { recursive: true });
    writeFileSync(path.join(run, "results", "results.json"), "{}");
    // A file where the month outputs' directory must go: every month object fails to write (after the metadata objects).
    writeFileSync(path.join(run, "month"), "in the way");
    await expect(runCausemos({ ...GOLDEN_PARAMS, data_paths: [fixture("geo-test-data.parquet")] }, { out })).rejects.toMatchObject({ name: "IoError", message: expect.stringContaining("/month/") });
    expect(existsSync(path.join(run, "raw", "feature1", "raw", "raw.csv"))).toBe(true);
    expect(existsSync(path.join(run, "results", "results.json"))).toBe(false);
  });

  it("the none writer renders and counts every object without storing any", async () => {
    const report = await runCausemos({ ...GOLDEN_PARAMS, data_paths: [fixture("geo-test-data.parquet")] }, { out: "none" });
    expect(report.written.objects).toBe(355);
    expect(report.written.bytes).toBeGreaterThan(50_000);
  });
});
