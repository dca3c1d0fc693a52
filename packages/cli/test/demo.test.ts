// The main job (tessera demo): the generated model output through the Causemos pipeline; its global series agree with DuckDB.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, describe, expect, it } from "vitest";
import { DEMO_MODEL, DEMO_RUN, runDemo } from "@tessera/cli";

const dir = mkdtempSync(path.join(tmpdir(), "tessera-demo-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("tessera demo", () => {
  it("writes the run's tree and says where it is; monthly global sums equal DuckDB's over the generated input", async () => {
    const lines: string[] = [];
    const r = await runDemo({ out: dir, rows: 50_000, log: (l) => lines.push(l) });
    expect(r.tree).toBe(path.join(dir, DEMO_MODEL, DEMO_RUN));
    expect(lines.some((l) => l.startsWith(`output tree: ${r.tree}`))).toBe(true);
    expect(lines.some((l) => l.startsWith(`map: npx tessera map ${dir}`))).toBe(true);
    const results = JSON.parse(readFileSync(path.join(r.tree, "results/results.json"), "utf8")) as { data_info: { features: string[]; num_rows: number; has_tiles: boolean } };
    expect(new Set(results.data_info.features)).toEqual(new Set(["precipitation", "temperature", "soil_moisture", "crop_yield", "population"]));
    expect(results.data_info).toMatchObject({ num_rows: r.report.counters.num_rows, has_tiles: true });
    const inst = await DuckDBInstance.create(":memory:", { threads: "1" });
    const con = await inst.connect();
    try {
      const rows = (await con.runAndReadAll(`SELECT epoch_ms(date_trunc('month', make_timestamp(timestamp * 1000))) AS t, sum(value) AS s
        FROM read_parquet('${r.input}/*.parquet') WHERE feature = 'temperature' GROUP BY 1 ORDER BY 1`)).getRows();
      const csv = readFileSync(path.join(r.tree, "month/temperature/timeseries/global/global.csv"), "utf8").trim().split("\n").slice(1).map((l) => l.split(","));
      expect(csv.map((c) => Number(c[0]))).toEqual(rows.map(([t]) => Number(t)));
      csv.forEach((c, i) => expect(Number(c[1])).toBeCloseTo(Number(rows[i]![1]), 6));
    } finally {
      con.closeSync();
      inst.closeSync();
    }
  });
});
