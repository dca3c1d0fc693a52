// `tessera causemos`: flags as the original's parameters, the run through the real binary, usage errors.
import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { causemosCommand, compareTrees, formatDifferences, parseCausemosArgs } from "@tessera/causemos";
import { fixture } from "./fixtures.js";
import { tempDir } from "./support.js";

const { dir, cleanup } = tempDir("cli");
afterAll(cleanup);
/** The `tessera` command's entry (@tessera/cli, the package above this one). */
const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../cli/dist/main.js");

describe("tessera causemos", () => {
  it("maps every flag to the original's parameter", () => {
    const { params, out } = parseCausemosArgs(["--model-id", "M", "--run-id", "R", "--out", "none", "--indicator", "--qualifier-map", '{"f":["crop"]}',
      "--weight-column", "w", "--raw-count-threshold", "5", "--fill-timestamp", "1000", "--selected-output-tasks", "compute_tiles, compute_global_timeseries", "a.parquet", "b.parquet"]);
    expect(out).toBe("none");
    expect(params).toEqual({ data_paths: ["a.parquet", "b.parquet"], model_id: "M", run_id: "R", is_indicator: true, qualifier_map: { f: ["crop"] },
      weight_column: "w", raw_count_threshold: 5, fill_timestamp: 1000, selected_output_tasks: ["compute_tiles", "compute_global_timeseries"] });
  });

  it("refuses unknown flags, a missing --out, no files and bad JSON with the usage", () => {
    expect(() => parseCausemosArgs(["--out", "none", "--colour", "x", "a.parquet"])).toThrow(/colour[\s\S]*usage: tessera causemos/);
    expect(() => parseCausemosArgs(["a.parquet"])).toThrow(/--out is required/);
    expect(() => parseCausemosArgs(["--out", "none"])).toThrow(/no input FILES/);
    expect(() => parseCausemosArgs(["--out", "none", "--qualifier-map", "{", "a.parquet"])).toThrow(/--qualifier-map must be JSON/);
  });

  it("causemosCommand runs the pipeline and says what it wrote", async () => {
    const lines: string[] = [];
    const code = await causemosCommand(["--model-id", "geo-test-data", "--run-id", "test-run", "--out", `file://${dir}/a/models`, fixture("geo-test-data.parquet")], (l) => lines.push(l));
    expect(code).toBe(0);
    expect(lines[0]).toMatch(/^causemos: 355 objects, \d+ bytes written to file:\/\/.*results\.json written last$/);
    expect(formatDifferences(await compareTrees(fixture("golden-geo"), `${dir}/a`))).toBe("no differences");
  });

  it("the tessera binary runs it as a subcommand (a real process) and exits 1 with the error's code on bad input", async () => {
    const run = promisify(execFile);
    const ok = await run(process.execPath, [CLI, "causemos", "--model-id", "geo-test-data", "--run-id", "test-run", "--out", `${dir}/b/models`, fixture("geo-test-data.parquet")], { timeout: 120_000 });
    expect(ok.stdout).toContain("355 objects");
    expect(formatDifferences(await compareTrees(fixture("golden-geo"), `${dir}/b`))).toBe("no differences");
    const bad = await run(process.execPath, [CLI, "causemos", "--out", "none", "--weight-column", "nope", fixture("geo-test-data.parquet")], { timeout: 120_000 }).catch((e: { code: number; stderr: string }) => e);
    expect(bad).toMatchObject({ code: 1 });
    expect((bad as { stderr: string }).stderr).toContain("CAUSEMOS_WEIGHT_COLUMN_NOT_FOUND");
  });
});
