// Bad input: each a coded error naming the file or column, raised before any object is written.
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCausemos } from "@tessera/causemos";
import { closeParquetWriter, parquetOf, tempDir } from "./support.js";

const { dir, cleanup } = tempDir("bad-input");
afterAll(async () => { await closeParquetWriter(); cleanup(); });

let runs = 0;
/** Runs the pipeline into a fresh directory; returns the error and whether anything was written there. */
async function failing(params: Record<string, unknown>): Promise<{ error: Error & { code?: string; category?: string }; wrote: boolean }> {
  const out = path.join(dir, `out-${runs++}`);
  let error: unknown = null;
  try {
    await runCausemos({ model_id: "m", run_id: "r", ...params }, { out: `file://${out}` });
  } catch (e) {
    error = e;
  }
  if (!(error instanceof Error)) throw new Error("expected the run to fail");
  return { error: error as Error & { code?: string }, wrote: existsSync(out) && readdirSync(out, { recursive: true }).length > 0 };
}

const GOOD = "SELECT 1577836800000::BIGINT AS timestamp, 'C' AS country, 'f' AS feature, 1.5::DOUBLE AS value";

describe("bad input", () => {
  it("a missing required column: CAUSEMOS_MISSING_COLUMN naming the column and the file", async () => {
    const f = await parquetOf(dir, "no-value.parquet", "SELECT 1577836800000::BIGINT AS timestamp, 'C' AS country, 'f' AS feature");
    const { error, wrote } = await failing({ data_paths: [f] });
    expect(error).toMatchObject({ code: "CAUSEMOS_MISSING_COLUMN", category: "plan" });
    expect(error.message).toContain('"value"');
    expect(error.message).toContain(f);
    expect(wrote).toBe(false);
  });

  it("a required column of a type the engine cannot read names the column and its type", async () => {
    const f = await parquetOf(dir, "decimal-value.parquet", "SELECT 1577836800000::BIGINT AS timestamp, 'f' AS feature, 1.5 AS value");
    const { error, wrote } = await failing({ data_paths: [f] });
    expect(error.code).toBe("UNSUPPORTED_COLUMN_TYPE");
    expect(error.message).toContain('"value"');
    expect(wrote).toBe(false);
  });

  it("an empty input: CAUSEMOS_EMPTY_INPUT naming the file", async () => {
    const f = await parquetOf(dir, "empty.parquet", `${GOOD} WHERE false`);
    const { error, wrote } = await failing({ data_paths: [f] });
    expect(error).toMatchObject({ code: "CAUSEMOS_EMPTY_INPUT", category: "plan" });
    expect(error.message).toContain(f);
    expect(wrote).toBe(false);
  });

  it("a file that is not Parquet: IO_BAD_PARQUET naming the file", async () => {
    const f = path.join(dir, "not-parquet.parquet");
    writeFileSync(f, "timestamp,feature,value\n1,f,2\n");
    const { error, wrote } = await failing({ data_paths: [f] });
    expect(error).toMatchObject({ code: "IO_BAD_PARQUET", category: "io" });
    expect(error.message).toContain(f);
    expect(wrote).toBe(false);
  });

  it("a weight column that does not exist: CAUSEMOS_WEIGHT_COLUMN_NOT_FOUND naming it and the columns there are", async () => {
    const f = await parquetOf(dir, "good.parquet", GOOD);
    const { error, wrote } = await failing({ data_paths: [f], weight_column: "wieght" });
    expect(error).toMatchObject({ code: "CAUSEMOS_WEIGHT_COLUMN_NOT_FOUND", category: "plan" });
    expect(error.message).toContain('"wieght"');
    expect(error.message).toContain("timestamp, country, feature, value");
    expect(wrote).toBe(false);
  });

  it("no input, only string-valued inputs, a missing file, a bad parameter: coded errors, nothing written", async () => {
    expect((await failing({ data_paths: [] })).error.code).toBe("CAUSEMOS_NO_INPUT");
    expect((await failing({ data_paths: ["x_str.parquet.gzip"] })).error.code).toBe("CAUSEMOS_NO_NUMERIC_INPUT");
    const missing = await failing({ data_paths: [path.join(dir, "nope.parquet")] });
    expect(missing.error.code).toBe("IO_NOT_FOUND");
    expect(missing.error.message).toContain("nope.parquet");
    expect((await failing({ data_paths: [await parquetOf(dir, "good2.parquet", GOOD)], selected_output_tasks: ["compute_everything"] })).error.code).toBe("CAUSEMOS_BAD_PARAMETER");
    expect((await failing({ data_paths: [await parquetOf(dir, "good3.parquet", GOOD)], run_id: "../x" })).error.code).toBe("CAUSEMOS_BAD_PARAMETER");
    const ts = await parquetOf(dir, "text-ts.parquet", "SELECT 'yesterday' AS timestamp, 'f' AS feature, 1.5::DOUBLE AS value");
    expect((await failing({ data_paths: [ts] })).error.code).toBe("CAUSEMOS_BAD_COLUMN_TYPE");
  });
});
