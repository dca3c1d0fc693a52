// Conformance: the pipeline on geo-test-data.parquet writes the golden tree of the original, object for object.
import { afterAll, describe, expect, it } from "vitest";
import { compareTrees, formatDifferences, runCausemos } from "@tessera/causemos";
import { fixture } from "./fixtures.js";
import { RecordingWriter, tempDir } from "./support.js";

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

  it("deletes an earlier results.json first and writes results.json last, after a flush of every other object", async () => {
    const w = new RecordingWriter();
    await runCausemos({ ...GOLDEN_PARAMS, data_paths: [fixture("geo-test-data.parquet")] }, { out: "none", writer: w });
    const results = "geo-test-data/test-run/results/results.json";
    expect(w.log[0]).toBe(`delete ${results}`);
    expect(w.log.slice(-3)).toEqual(["flush", `put ${results}`, "flush"]);
    expect(w.log.filter((l) => l.startsWith("put ")).length).toBe(355);
  });

  it("the none writer renders and counts every object without storing any", async () => {
    const report = await runCausemos({ ...GOLDEN_PARAMS, data_paths: [fixture("geo-test-data.parquet")] }, { out: "none" });
    expect(report.written.objects).toBe(355);
    expect(report.written.bytes).toBeGreaterThan(50_000);
  });
});
