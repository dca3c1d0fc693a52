// Test support: temporary directories, a recording writer, reading a run's objects back.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ObjectWriter, WriteStats } from "@tessera/causemos";

/** A fresh directory under the OS temp dir, and its removal. */
export function tempDir(label: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), `causemos-${label}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Keeps every object in memory and records the order of puts and deletes. */
export class RecordingWriter implements ObjectWriter {
  readonly objects = new Map<string, Uint8Array>();
  readonly log: string[] = [];
  async put(key: string, body: Uint8Array): Promise<void> { this.objects.set(key, body); this.log.push(`put ${key}`); }
  async delete(key: string): Promise<void> { this.objects.delete(key); this.log.push(`delete ${key}`); }
  async flush(): Promise<void> { this.log.push("flush"); }
  stats(): WriteStats { return { objects: this.objects.size, bytes: [...this.objects.values()].reduce((s, b) => s + b.length, 0) }; }
  text(key: string): string {
    const b = this.objects.get(key);
    if (b === undefined) throw new Error(`no object ${key}; have ${[...this.objects.keys()].slice(0, 20).join(", ")}`);
    return new TextDecoder().decode(b);
  }
  keys(prefix = ""): string[] { return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort(); }
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
