// Test helpers: temporary directories, a DuckDB oracle, and a store that records the byte ranges it serves.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { MemoryStore, type ByteRange, type ObjectInfo, type ObjectStore } from "@tessera/io";

/** A fresh temporary directory and a function removing it. */
export function tempDir(prefix = "tessera-io-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** An in-memory DuckDB connection (the oracle); close it when done. */
export async function duck(): Promise<{ con: DuckDBConnection; close: () => void }> {
  const inst = await DuckDBInstance.create(":memory:");
  const con = await inst.connect();
  return { con, close: () => { con.closeSync(); inst.closeSync(); } };
}

/** Rows of a query as arrays of plain JS values (DuckDB's own value objects turned into strings). */
export async function rows(con: DuckDBConnection, sql: string): Promise<unknown[][]> {
  const r = await con.runAndReadAll(sql);
  return r.getRows().map((row) => row.map((v) => (v !== null && typeof v === "object" ? String(v) : v)));
}

/** A MemoryStore that records every ranged or whole get, for checking what a reader fetched. */
export class CountingStore implements ObjectStore {
  readonly gets: { url: string; range: ByteRange | undefined }[] = [];
  private readonly inner = new MemoryStore();
  list(prefix: string): Promise<ObjectInfo[]> { return this.inner.list(prefix); }
  head(url: string): Promise<ObjectInfo> { return this.inner.head(url); }
  get(url: string, range?: ByteRange): Promise<Uint8Array> {
    this.gets.push({ url, range });
    return this.inner.get(url, range);
  }
  put(url: string, bytes: Uint8Array): Promise<void> { return this.inner.put(url, bytes); }
  delete(url: string): Promise<void> { return this.inner.delete(url); }
}
