// Attack: untrusted bytes. Seeded mutations of Parquet files (truncation, lying lengths, corrupt footers and pages,
// deep nesting, wrong types, huge counts) and of CSV files each end in a coded error naming the file, or in a read
// equal to DuckDB's; a real worker process reads them all and survives, in bounded memory, and then answers a real
// job as DuckDB does.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { col, connect, len, scanParquet } from "tessera";
import type { RemoteClient } from "tessera";
import { mulberry32 } from "@tessera/common";
import type { Field } from "@tessera/common";
import { readCsv, readParquet, readParquetMeta } from "@tessera/io";
import { tableFromBatches } from "@tessera/kernels";
import type { Batch } from "@tessera/kernels";
import { diffRows, tableRows } from "../support/compare.js";
import type { Rows } from "../support/compare.js";
import { closeDuck, duckRows, duckRun, sqlString } from "../support/duck.js";
import { tempDir } from "../support/files.js";
import { killAll, startScheduler, startWorker } from "../cluster/support/processes.js";
import type { Proc } from "../cluster/support/processes.js";
import { mutateCsv } from "./support/csv-mutations.js";
import { mutate } from "./support/parquet-mutations.js";
import type { Mutation } from "./support/parquet-mutations.js";

const PARQUET_CASES = 2400;
const CSV_CASES = 800;
/** Jobs in flight on the worker at once. */
const IN_FLIGHT = 8;
/** What the fuzzed worker's resident memory may peak at (its data is a few KiB; parquet-wasm's heap and V8 the rest). */
const WORKER_PEAK_BYTES = 1.5 * 2 ** 30;

const CSV_SCHEMA: Field[] = [
  { name: "id", type: "int64", nullable: true }, { name: "name", type: "utf8", nullable: true },
  { name: "v", type: "float64", nullable: true }, { name: "day", type: "date32", nullable: true },
];
const CSV_DUCK_COLUMNS = "{'id': 'BIGINT', 'name': 'VARCHAR', 'v': 'DOUBLE', 'day': 'DATE'}";

let dir = "";
const seedPaths: string[] = [];
let seeds: Uint8Array[] = [];
let csvSeed: Uint8Array = new Uint8Array(0);
let scheduler: Proc;
let worker: Proc;
let client: RemoteClient;

interface Tally { readonly outcomes: Map<string, number>; readonly failures: string[] }
const tally = (): Tally => ({ outcomes: new Map(), failures: [] });
function count(t: Tally, outcome: string): void {
  t.outcomes.set(outcome, (t.outcomes.get(outcome) ?? 0) + 1);
}

/** A failure must be a Tessera IoError whose message names the file; anything else is a finding. */
function checkError(t: Tally, e: unknown, file: string, m: Mutation, where: string): void {
  const err = e as { code?: unknown; category?: unknown; message?: unknown };
  const ok = typeof err.code === "string" && err.code.startsWith("IO_") && err.category === "io" && typeof err.message === "string" && err.message.includes(file);
  if (ok) count(t, `error ${err.code as string}`);
  else t.failures.push(`${where}, ${m.what}: ${String((e as Error).name)} ${String(err.code)}: ${String(err.message).slice(0, 300)}`);
}

/** Whether the mutation left the seed's data pages (everything before its footer) as they were. */
function pagesIntact(m: Mutation, seed: Uint8Array): boolean {
  const footerStart = seed.length - 8 - new DataView(seed.buffer, seed.byteOffset + seed.length - 8, 4).getUint32(0, true);
  if (m.bytes.length < footerStart) return false;
  for (let i = 0; i < footerStart; i++) if (m.bytes[i] !== seed[i]) return false;
  return true;
}

/**
 * A successful read must give DuckDB's rows for the same bytes. Where DuckDB refuses them: with the pages intact,
 * the seed's rows; with pages changed, the seed's columns and row count (Parquet pages carry no checksum here, so
 * changed values in an uncompressed page are data, for any reader).
 */
async function checkRead(t: Tally, rows: Rows, file: string, m: Mutation, where: string, seedFile: string): Promise<void> {
  let expected: Rows;
  let against = "DuckDB on the same bytes";
  try {
    expected = await duckRows(parquetSql(file));
  } catch {
    expected = await duckRows(parquetSql(seedFile));
    const intact = pagesIntact(m, seeds[m.seed as number] as Uint8Array);
    against = intact ? "the unmutated file (DuckDB refused these bytes)" : "the unmutated file's shape (pages changed; DuckDB refused these bytes)";
    if (!intact) {
      const sameShape = rows.length === expected.length && JSON.stringify(Object.keys(rows[0] ?? {})) === JSON.stringify(Object.keys(expected[0] ?? {}));
      if (sameShape) count(t, `read, ${against}`);
      else t.failures.push(`${where}, ${m.what}: read ${rows.length} rows unlike ${against}`);
      return;
    }
  }
  const problem = diffRows(rows, expected, { orderMatters: true, exact: true });
  if (problem === null) count(t, `read, equal to ${against}`);
  else t.failures.push(`${where}, ${m.what}: read rows differ from ${against}: ${problem.slice(0, 400)}`);
}

const parquetSql = (f: string): string => `SELECT * FROM read_parquet(${sqlString(f)})`;
const csvSql = (f: string): string => `SELECT * FROM read_csv(${sqlString(f)}, header = true, columns = ${CSV_DUCK_COLUMNS}, auto_detect = false, quote = '"', escape = '"', delim = ',')`;

const rowsOf = (b: Batch): Rows => tableRows(tableFromBatches([b], [...b.fields]));

/** The same read as a task on the worker: a pipeline over one Parquet piece or one CSV file, sent as plain data. */
// Task keys are structural (equal keys are the same work, shared between jobs): each file gets its own.
function parquetTask(file: string, fields: readonly Field[], rowGroups: readonly number[]): unknown {
  const source = { type: "parquet", pieces: [{ url: file, rowGroups, hive: [] }], columns: fields.map((f) => f.name), limit: null, fields };
  return { tasks: [{ key: `read ${file}`, op: "pipeline", deps: [], args: { source, steps: [], fields } }], outputs: [`read ${file}`] };
}
function csvTask(file: string): unknown {
  const source = { type: "csv", url: file, range: null, fields: CSV_SCHEMA, delimiter: ",", header: true };
  return { tasks: [{ key: `read ${file}`, op: "pipeline", deps: [], args: { source, steps: [], fields: CSV_SCHEMA } }], outputs: [`read ${file}`] };
}

/** Runs `f` over `items` with at most `n` at a time. */
async function pool<T>(items: readonly T[], n: number, f: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) await f(items[next++] as T);
  }));
}

function peakRss(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(m?.[1] ?? Number.NaN) * 1024;
}

function report(name: string, cases: number, t: Tally, ms: number): void {
  const lines = [...t.outcomes].sort((a, b) => b[1] - a[1]).map(([k, v]) => `  ${v}  ${k}`);
  process.stdout.write(`${name}: ${cases} cases in ${(ms / 1000).toFixed(1)} s\n${lines.join("\n")}\n`);
}

beforeAll(async () => {
  dir = tempDir("fuzz");
  const seedSql = [
    `SELECT i::INTEGER AS id, 'g' || (i % 17) AS g, (i * 0.25)::DOUBLE AS v, CASE WHEN i % 7 = 0 THEN NULL ELSE i::BIGINT END AS n,
       TIMESTAMP '2020-01-01' + INTERVAL (i) MINUTE AS t FROM range(3000) r(i)`,
    "SELECT i::INTEGER AS id, 'name-' || (i % 5) AS s, (i % 2 = 0) AS b FROM range(500) r(i)",
    "SELECT (i % 3)::SMALLINT AS k, (i * 1.5)::FLOAT AS f, DATE '2024-01-01' + (i % 30)::INTEGER AS d FROM range(200) r(i)",
  ];
  const options = ["ROW_GROUP_SIZE 1000, COMPRESSION zstd", "COMPRESSION snappy", "COMPRESSION uncompressed"];
  for (let i = 0; i < seedSql.length; i++) {
    const path = join(dir, `seed-${i}.parquet`);
    await duckRun(`COPY (${seedSql[i] as string}) TO ${sqlString(path)} (FORMAT parquet, ${options[i] as string})`);
    seedPaths.push(path);
  }
  seeds = seedPaths.map((p) => new Uint8Array(readFileSync(p)));
  const lines = ["id,name,v,day"];
  for (let i = 0; i < 300; i++) {
    const name = i % 11 === 0 ? `"quoted, ""name"" ${i}"` : i % 13 === 0 ? "" : `n${i}`;
    lines.push(`${i % 17 === 0 ? "" : i},${name},${i % 19 === 0 ? "" : (i * 0.5).toString()},2024-01-${String(1 + (i % 28)).padStart(2, "0")}`);
  }
  csvSeed = new TextEncoder().encode(`${lines.join("\n")}\n`);
  writeFileSync(join(dir, "seed.csv"), csvSeed);
  let url: string;
  ({ proc: scheduler, url } = await startScheduler());
  ({ proc: worker } = await startWorker(scheduler, url, "fz1", {}, 1));
  client = await connect(url, { token: null });
}, 120_000);

afterAll(async () => {
  await client?.close();
  await killAll();
  await closeDuck();
});

describe("fuzzed Parquet files", () => {
  it(`${PARQUET_CASES} seeded cases: the footer reader and the page decoder in this process, then on a worker`, async () => {
    const seedMeta = await Promise.all(seedPaths.map((p) => readParquetMeta(p)));
    const rand = mulberry32(2026);
    const cases = Array.from({ length: PARQUET_CASES }, (_, i) => ({ i, m: mutate(seeds, rand), file: join(dir, `case-${i}.parquet`) }));
    for (const c of cases) writeFileSync(c.file, c.m.bytes);

    // 1. Where plans are made: the footer (statistics, schema) and then every page, in this process.
    const local = tally();
    let started = performance.now();
    for (const { m, file } of cases) {
      let rows: Rows;
      try {
        const meta = await readParquetMeta(file);
        rows = rowsOf(await readParquet(file, { meta, columns: seedMeta[m.seed as number]?.fields.map((f) => f.name) ?? null }));
      } catch (e) {
        checkError(local, e, file, m, "in process");
        continue;
      }
      await checkRead(local, rows, file, m, "in process", seedPaths[m.seed as number] as string);
    }
    report("Parquet, footer and pages in process", PARQUET_CASES, local, performance.now() - started);
    expect(local.failures).toEqual([]);

    // 2. Where tasks run: the same files read by a worker process, as a client that skipped planning would ask.
    const remote = tally();
    started = performance.now();
    await pool(cases, IN_FLIGHT, async ({ m, file }) => {
      const meta = seedMeta[m.seed as number];
      if (meta === undefined) throw new Error("no seed metadata");
      let rows: Rows;
      try {
        const out = await client.run(parquetTask(file, meta.fields, meta.rowGroups.map((rg) => rg.index)) as never);
        rows = rowsOf(out.get(`read ${file}`) as Batch);
      } catch (e) {
        checkError(remote, e, file, m, "on the worker");
        return;
      }
      await checkRead(remote, rows, file, m, "on the worker", seedPaths[m.seed as number] as string);
    });
    report("Parquet on a worker process", PARQUET_CASES, remote, performance.now() - started);
    expect(remote.failures).toEqual([]);
    expect([...remote.outcomes.values()].reduce((a, b) => a + b, 0)).toBe(PARQUET_CASES);
    // Both kinds of outcome occur: the cases reach the decoders, not only the first checks.
    expect([...remote.outcomes.keys()].some((k) => k.startsWith("read"))).toBe(true);
    expect(remote.outcomes.get("error IO_BAD_PARQUET")).toBeGreaterThan(PARQUET_CASES / 4);
  });
});

describe("fuzzed CSV files", () => {
  it(`${CSV_CASES} seeded cases on the worker`, async () => {
    const rand = mulberry32(7);
    const cases = Array.from({ length: CSV_CASES }, (_, i) => ({ m: mutateCsv(csvSeed, rand), file: join(dir, `case-${i}.csv`) }));
    for (const c of cases) writeFileSync(c.file, c.m.bytes);
    const t = tally();
    const started = performance.now();
    await pool(cases, IN_FLIGHT, async ({ m, file }) => {
      let rows: Rows;
      try {
        rows = rowsOf((await client.run(csvTask(file) as never)).get(`read ${file}`) as Batch);
      } catch (e) {
        checkError(t, e, file, m, "on the worker");
        return;
      }
      // A read gives the declared columns; where DuckDB reads the same bytes the same way, the same rows.
      expect(Object.keys(rows[0] ?? { id: 0, name: 0, v: 0, day: 0 })).toEqual(CSV_SCHEMA.map((f) => f.name));
      let expected: Rows | null = null;
      try { expected = await duckRows(csvSql(file)); } catch { expected = null; }
      if (expected === null) count(t, `read; DuckDB refused these bytes (${m.what.replace(/\d+/g, "N")})`);
      else if (diffRows(rows, expected, { orderMatters: true, exact: true }) === null) count(t, "read, equal to DuckDB");
      else count(t, "read, unlike DuckDB's reading");
    });
    report("CSV on a worker process", CSV_CASES, t, performance.now() - started);
    expect(t.failures).toEqual([]);
    // The in-process reader gives the same outcome for a sample (the worker adds nothing but the transport).
    for (const { m, file } of cases.slice(0, 100)) {
      try {
        await readCsv(file, { schema: CSV_SCHEMA });
      } catch (e) {
        const local = tally();
        checkError(local, e, file, m, "in process");
        expect(local.failures).toEqual([]);
      }
    }
  });
});

describe("the fuzzed worker", () => {
  it("is still in the cluster, stayed within bounded memory, and answers a real job as DuckDB does", async () => {
    expect(worker.child.exitCode).toBeNull();
    expect(scheduler.output()).not.toMatch(/worker fz1 lost/);
    const peak = peakRss(worker.child.pid as number);
    process.stdout.write(`fuzzed worker's peak resident memory: ${(peak / 2 ** 20).toFixed(0)} MiB\n`);
    expect(peak).toBeLessThan(WORKER_PEAK_BYTES);
    const seed = seedPaths[0] as string;
    const got = await scanParquet(seed).filter(col("n").isNotNull()).groupBy("g")
      .agg(col("v").sum().alias("s"), col("n").max().alias("mx"), len().alias("c")).collect({ client });
    const expected = await duckRows(`SELECT g, sum(v) AS s, max(n) AS mx, count(*) AS c FROM read_parquet(${sqlString(seed)}) WHERE n IS NOT NULL GROUP BY g`);
    const problem = diffRows(tableRows(got), expected, { keys: ["g"] });
    expect(problem).toBeNull();
  });
});
