// The main job (tessera demo): its monthly and yearly outputs equal DuckDB's aggregation of the same input file.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runDemo } from "tessera";
import { duckRows } from "../support/duck.js";
import { expectSameRows } from "../support/compare.js";
import { tempDir } from "../support/files.js";

describe("tessera demo", () => {
  it("writes monthly and yearly aggregates that DuckDB reproduces from the generated input", async () => {
    const out = tempDir("demo");
    const lines: string[] = [];
    await runDemo({ out, rows: 100_000, log: (l) => lines.push(l) });
    expect(lines.some((l) => l.startsWith("monthly"))).toBe(true);
    expect(lines.at(-1)).toMatch(/^total \d+\.\d+ s$/);
    const input = `${out}/input/model-output.parquet`;
    for (const unit of ["month", "year"] as const) {
      const dir = `${out}/${unit === "month" ? "monthly" : "yearly"}`;
      const manifest = JSON.parse(readFileSync(`${dir}/_SUCCESS`, "utf8")) as { files: { path: string }[]; rows: number };
      const got = await duckRows(`SELECT * FROM read_parquet([${manifest.files.map((f) => `'${dir}/${f.path}'`).join(", ")}])`);
      expect(got.length).toBe(manifest.rows);
      const expected = await duckRows(`SELECT date_trunc('${unit}', "timestamp") AS period, feature, country, admin1,
        sum(value) AS sum, avg(value) AS mean, count(*) AS count FROM '${input}' GROUP BY ALL`);
      expectSameRows(got, expected, { keys: ["period", "feature", "country", "admin1"], relTol: 1e-9 });
    }
  });
});
