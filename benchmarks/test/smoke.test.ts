// Smoke test: the groupby and join suites at 1e4 rows through the real code path (child processes, every system,
// cross-check), asserting every answer agreed and a results object came out. Not a timing test.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { machineInfo } from "../src/machine.js";
import { CHILD_SCRIPT } from "../src/runner/run-child.js";
import type { TableSuiteResult } from "../src/runner/table-suite.js";
import type { SuiteOptions, SuiteReport } from "../src/suites/suite.js";

// In-process 2-worker cluster: starting scheduler and worker processes per system would slow CI down for no coverage
// the runtime's own tests do not give.
const SYSTEMS = ["tessera", "tessera-2w-inprocess", "duckdb", "polars"];
let dataDir = "";

beforeAll(() => {
  if (!existsSync(CHILD_SCRIPT)) throw new Error(`${CHILD_SCRIPT} is missing: build first (npx tsc -b)`);
  dataDir = mkdtempSync(join(tmpdir(), "tessera-bench-smoke-"));
  process.env["TESSERA_BENCH_DATA"] = dataDir;
});

afterAll(() => {
  delete process.env["TESSERA_BENCH_DATA"];
  if (dataDir !== "") rmSync(dataDir, { recursive: true, force: true });
});

function options(): SuiteOptions {
  return { size: 1e4, mode: "parquet", runs: 1, timeoutMs: 60_000, machine: machineInfo(), command: "smoke test", log: () => {}, only: SYSTEMS };
}

function expectAllAgreed(report: SuiteReport, questions: number): void {
  const table = (report as SuiteReport & { table: TableSuiteResult }).table;
  expect(table.systems.map((s) => s.name)).toEqual(SYSTEMS);
  for (const s of table.systems) {
    expect(s.failure, `${s.name} failed`).toBeNull();
    expect(s.version, `${s.name} version`).toMatch(/\d+\.\d+/);
  }
  expect(table.questions).toHaveLength(questions);
  for (const q of table.questions) {
    expect(q.reference).toBe("duckdb");
    for (const name of SYSTEMS) {
      const cell = q.cells[name];
      expect(cell?.status, `${q.id} on ${name}: ${cell?.detail ?? ""}`).toBe("ok");
      expect(cell?.firstMs).toBeGreaterThan(0);
      expect(cell?.summary?.rows).toBe(q.cells["duckdb"]?.summary?.rows);
    }
  }
  expect(report.ok).toBe(true);
  expect(report.svg).toContain("<svg");
  expect(report.markdown).toContain("| question |");
  expect(JSON.parse(JSON.stringify(report.result))).toMatchObject({ size: 1e4, mode: "parquet" });
}

describe("benchmark suites at 1e4 rows", () => {
  it("groupby: ten questions agree on Tessera (embedded and 2 workers), DuckDB and Polars", async () => {
    const { runGroupby } = await import("../src/suites/groupby.js");
    expectAllAgreed(await runGroupby(options()), 10);
  }, 120_000);

  it("join: five questions agree on the same systems", async () => {
    const { runJoin } = await import("../src/suites/join.js");
    expectAllAgreed(await runJoin(options()), 5);
  }, 120_000);
});

describe("load suite at 1e4 rows", () => {
  it("every system loads every case, row counts and sums agree with DuckDB's, and the table has a row per system", async () => {
    const { runLoad, LOAD_SYSTEMS } = await import("../src/suites/load.js");
    const report = await runLoad({ ...options(), only: undefined }, ["*", "v3"]);
    expect(report.ok, report.markdown).toBe(true);
    const runs = (report.result as { runs: { system: string; case: string; ms: number; rows: number }[] }).runs;
    for (const s of LOAD_SYSTEMS) {
      for (const c of ["*", "v3"]) {
        const mine = runs.filter((r) => r.system === s.name && r.case === c);
        expect(mine.map((r) => r.ms > 0), `${s.name} ${c}`).toEqual([true, true]);
        if (s.name === "tessera" || s.name === "polars") expect(mine.every((r) => r.rows === 1e4)).toBe(true);
      }
      expect(report.markdown).toContain(`| \`${s.name}\` |`);
    }
  }, 120_000);
});
