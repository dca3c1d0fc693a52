// Test support: temporary directories, a run's object tree read back from disk, Parquet inputs made by DuckDB.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { CausemosParams, RunReport, TaskSinks } from "@tessera/causemos";
import { runCausemos } from "@tessera/causemos";
import { sinkAll } from "tessera";

/** A fresh directory under the OS temp dir, and its removal. */
export function tempDir(label: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), `causemos-${label}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Every file under `dir` with its bytes, keyed by its path relative to `dir` (read from disk, not through Tessera). */
export function readTree(dir: string): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  if (!existsSync(dir)) return out;
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p); else out.set(path.relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

/** Objects read back from a directory: keys relative to it. */
export class Tree {
  readonly objects: Map<string, Uint8Array>;
  constructor(readonly dir: string) {
    this.objects = readTree(dir);
  }
  text(key: string): string {
    const b = this.objects.get(key);
    if (b === undefined) throw new Error(`no object ${key}; have ${[...this.objects.keys()].slice(0, 20).join(", ")}`);
    return new TextDecoder().decode(b);
  }
  keys(prefix = ""): string[] { return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort(); }
}

/** A run's objects, read back from the directory it wrote to. */
export class RunTree extends Tree {
  constructor(dir: string, readonly report: RunReport) {
    super(dir);
  }
}

let runs = 0;

/**
 * Runs the sinks an output task builds for the root `{dir}/sinks-N/{base}` (one job, as the pipeline runs them),
 * frees what it persisted, and reads the tree back with keys relative to `{dir}/sinks-N` (so they start with `base`).
 */
export async function writeSinks(dir: string, base: string, build: (root: string) => Promise<TaskSinks> | TaskSinks): Promise<Tree> {
  const top = path.join(dir, `sinks-${runs++}`);
  const task = await build(path.join(top, base));
  try {
    await sinkAll(task.sinks, { progress: false });
  } finally {
    for (const h of task.held) await h.release();
  }
  return new Tree(top);
}

/** Runs the pipeline into a fresh directory under `dir` and reads the tree back. */
export async function runTree(dir: string, params: Partial<CausemosParams>, opts: { partitions?: number } = {}): Promise<RunTree> {
  const out = path.join(dir, `run-${runs++}`);
  const report = await runCausemos(params, { out, ...opts });
  return new RunTree(out, report);
}

/** A text file's contents. */
export function readText(file: string): string {
  return readFileSync(file, "utf8");
}

/** CSV text as rows of cells (no quoting in the tests' data). */
export function csvRows(text: string): string[][] {
  return text.trim().split("\n").map((l) => l.split(","));
}

import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";

let duckConn: Promise<{ inst: DuckDBInstance; con: DuckDBConnection }> | undefined;

/** Writes the rows of a DuckDB query as a Parquet file (exact column types for test inputs); returns its path. */
export async function parquetOf(dir: string, name: string, sql: string): Promise<string> {
  duckConn ??= (async () => { const inst = await DuckDBInstance.create(":memory:", { threads: "1" }); return { inst, con: await inst.connect() }; })();
  const { con } = await duckConn;
  const file = path.join(dir, name);
  await con.run(`COPY (${sql}) TO '${file}' (FORMAT parquet)`);
  return file;
}

/** Closes the DuckDB instance parquetOf opened (call from afterAll). */
export async function closeParquetWriter(): Promise<void> {
  if (duckConn === undefined) return;
  const { inst, con } = await duckConn;
  con.closeSync();
  inst.closeSync();
  duckConn = undefined;
}
