// The load suite: reading G1's Parquet file into each system's memory (every column, then single columns), beside the
// time to stream the same bytes from the page cache; rounds of back-to-back runs, medians, peak RSS.
import { fork } from "node:child_process";
import { join } from "node:path";
import { loadavg } from "node:os";
import { DuckDBInstance } from "@duckdb/node-api";
import { BENCH_ROOT, sizeLabel } from "../data/data-dir.js";
import { g1Parquet } from "../data/g1.js";
import { describeMachine } from "../machine.js";
import { markdownTable, mib, ratio, secs } from "../report/format.js";
import type { LoadCase, LoadChildConfig, LoadChildMessage, LoadSystemName } from "../load/load-protocol.js";
import type { SuiteOptions, SuiteReport } from "./suite.js";

const CHILD = join(BENCH_ROOT, "dist", "load", "load-child.js");

export const LOAD_SYSTEMS: readonly { name: LoadSystemName; what: string }[] = [
  { name: "tessera", what: "Tessera embedded: `scanParquet(f).collect()` (or `.select(c)`), an Arrow table on the client" },
  { name: "tessera-batches", what: "Tessera embedded: `scanParquet(f).persist()`, Parquet to Tessera batches held in the cluster (no Arrow table)" },
  { name: "duckdb", what: "DuckDB: `CREATE TABLE t AS SELECT * (or c) FROM read_parquet(f)`" },
  { name: "polars", what: "Polars: `pl.readParquet(f)` (or `{ columns: [c] }`)" },
  { name: "page-cache", what: "the baseline: read(2) of the bytes the case needs (the whole file; a column's chunks) from the page cache into one reused buffer" },
];

interface Run { readonly system: LoadSystemName; readonly round: number; readonly case: LoadCase; readonly run: number; readonly ms: number; readonly cpuMs: number; readonly peakRss: number; readonly rows: number; readonly sum: number | null }

function runChild(config: LoadChildConfig, timeoutMs: number): Promise<{ runs: Omit<Run, "system" | "round">[]; failure: string | null }> {
  return new Promise((resolve) => {
    const runs: Omit<Run, "system" | "round">[] = [];
    let failure: string | null = null;
    const child = fork(CHILD, [], { execArgv: ["--max-old-space-size=16384"], serialization: "advanced", stdio: ["ignore", "inherit", "inherit", "ipc"] });
    const timer = setTimeout(() => { failure = `timeout after ${timeoutMs / 1000} s`; child.kill("SIGKILL"); }, timeoutMs);
    child.on("message", (m: LoadChildMessage) => {
      if (m.kind === "run") runs.push({ case: m.case, run: m.run, ms: m.ms, cpuMs: m.cpuMs, peakRss: m.peakRss, rows: m.rows, sum: m.sum });
      if (m.kind === "fatal") failure = m.message;
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ runs, failure: failure ?? (code === 0 ? null : `exited with code ${code}`) });
    });
    child.send(config);
  });
}

/** Byte ranges of each case: the whole file, or the chunks of one column (from DuckDB's parquet_metadata). */
async function caseRanges(path: string, cases: readonly LoadCase[], size: number): Promise<LoadChildConfig["ranges"]> {
  const conn = await (await DuckDBInstance.create(":memory:")).connect();
  const lit = `'${path.replaceAll("'", "''")}'`;
  const out: Record<string, { start: number; end: number }[]> = {};
  for (const c of cases) {
    if (c === "*") { out[c] = [{ start: 0, end: size }]; continue; }
    const rows = (await conn.runAndReadAll(`SELECT coalesce(nullif(dictionary_page_offset, 0), data_page_offset), total_compressed_size
      FROM parquet_metadata(${lit}) WHERE path_in_schema = '${c.replaceAll("'", "''")}' ORDER BY 1`)).getRows();
    if (rows.length === 0) throw new Error(`${path} has no column ${c}`);
    out[c] = rows.map((r) => ({ start: Number(r[0]), end: Number(r[0]) + Number(r[1]) }));
  }
  conn.closeSync();
  return out;
}

const median = (xs: readonly number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const caseLabel = (c: LoadCase): string => (c === "*" ? "all 9 columns" : `column ${c}`);

export async function runLoad(opts: SuiteOptions, cases: readonly LoadCase[]): Promise<SuiteReport> {
  opts.log(`G1 data, ${sizeLabel(opts.size)} rows, K=100 ...`);
  const path = await g1Parquet(opts.size);
  const { statSync } = await import("node:fs");
  const fileBytes = statSync(path).size;
  const ranges = await caseRanges(path, cases, fileBytes);
  const systems = LOAD_SYSTEMS.filter((s) => opts.only === undefined || opts.only.includes(s.name));
  const rounds = opts.runs;
  const runs: Run[] = [];
  const failures: string[] = [];
  const loads: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    loads.push(Number((loadavg()[0] ?? 0).toFixed(2)));
    // Systems back to back within a round, each in a fresh process: every system sees the same machine state.
    for (const s of systems) {
      const r = await runChild({ system: s.name, path, cases, runs: 2, ranges }, opts.timeoutMs);
      for (const x of r.runs) {
        runs.push({ ...x, system: s.name, round });
        opts.log(`  round ${round} ${s.name} ${caseLabel(x.case)} run ${x.run}: ${(x.ms / 1000).toFixed(3)} s (cpu ${(x.cpuMs / 1000).toFixed(3)} s), peak RSS ${(x.peakRss / 2 ** 20).toFixed(0)} MiB`);
      }
      if (r.failure !== null) failures.push(`${s.name} (round ${round}): ${r.failure}`);
    }
  }
  // Cross-check: every system's row count, and each single column's sum, against DuckDB's.
  for (const r of runs) {
    const ref = runs.find((x) => x.system === "duckdb" && x.case === r.case);
    if (ref === undefined || r.rows < 0) continue;
    if (r.rows !== ref.rows) failures.push(`${r.system} ${caseLabel(r.case)}: ${r.rows} rows, duckdb ${ref.rows}`);
    if (r.sum !== null && ref.sum !== null && Math.abs(r.sum - ref.sum) > 1e-9 * Math.max(1, Math.abs(ref.sum))) {
      failures.push(`${r.system} ${caseLabel(r.case)}: sum ${r.sum}, duckdb ${ref.sum}`);
    }
  }
  const cell = (system: LoadSystemName, c: LoadCase, run: number) => runs.filter((r) => r.system === system && r.case === c && r.run === run);
  const warm = (system: LoadSystemName, c: LoadCase) => median(cell(system, c, 2).map((r) => r.ms));
  const first = (system: LoadSystemName, c: LoadCase) => median(cell(system, c, 1).map((r) => r.ms));
  const cpu = (system: LoadSystemName, c: LoadCase) => median(cell(system, c, 2).map((r) => r.cpuMs));
  const peak = (system: LoadSystemName, c: LoadCase) => {
    const xs = runs.filter((r) => r.system === system && r.case === c).map((r) => r.peakRss);
    return xs.length === 0 ? null : Math.max(...xs);
  };
  const header = ["system", ...cases.flatMap((c) => [`${caseLabel(c)} (s)`, "first run (s)", "CPU (s)", "peak RSS (MiB)", "÷ duckdb", "CPU ÷ duckdb", "÷ page cache"])];
  const rows = systems.map((s) => [
    `\`${s.name}\``,
    ...cases.flatMap((c) => [secs(warm(s.name, c)), secs(first(s.name, c)), secs(cpu(s.name, c)), s.name === "page-cache" ? "—" : mib(peak(s.name, c)),
      ratio(warm(s.name, c), warm("duckdb", c)), ratio(cpu(s.name, c), cpu("duckdb", c)), ratio(warm(s.name, c), warm("page-cache", c))]),
  ]);
  const mb = (c: LoadCase) => ((ranges[c] ?? []).reduce((n, r) => n + r.end - r.start, 0) / 1e6).toFixed(1);
  const markdown = [
    `**G1 ${sizeLabel(opts.size)} rows, K=100**, one Parquet file of ${(fileBytes / 1e6).toFixed(0)} MB (zstd, row groups of 122,880 rows, ` +
      `written by Tessera): loading ${cases.map((c) => `${caseLabel(c)} (${mb(c)} MB of column chunks)`).join(" and ")} into each system's memory. ` +
      `${rounds} rounds; in each round every system runs in a fresh process, back to back, and loads each case twice; ` +
      "the table shows the median over rounds of the second (warm) load, the median of the first loads, the median CPU time of the warm " +
      "loads (the process's user + system time over all its threads: steadier than wall time on a shared machine), and the peak RSS of the process over all loads.",
    "",
    `Machine: ${describeMachine(opts.machine)}; load average at the start of each round: ${loads.join(", ")}.`,
    "",
    "Systems: " + systems.map((s) => `\`${s.name}\` = ${s.what}`).join("; ") + ".",
    "",
    `Reproduce: \`${opts.command}\``,
    "",
    markdownTable(header, rows),
    "",
    failures.length === 0 ? "Row counts and single-column sums agreed with DuckDB's." : ["Failures:", "", ...failures.map((f) => `- ${f}`)].join("\n"),
  ].join("\n");
  return {
    suite: "load",
    result: { size: opts.size, file: path, fileBytes, cases, rounds, loadAverages: loads, ranges, runs, failures },
    markdown,
    svg: null,
    ok: failures.length === 0,
  };
}
