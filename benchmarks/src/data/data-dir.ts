// Where generated benchmark data lives (benchmarks/data, or $TESSERA_BENCH_DATA) and an atomic file writer.
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The benchmarks workspace root (this file is src/data/ or dist/data/ under it). */
export const BENCH_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

export function dataDir(): string {
  const dir = process.env["TESSERA_BENCH_DATA"] ?? join(BENCH_ROOT, "data");
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Writes bytes to `path` through a temporary name, so a reader never sees a partial file. */
export function writeAtomically(path: string, bytes: Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** Returns `path`, first calling `make(path)` when it does not exist yet. */
export async function cached(path: string, make: (path: string) => void | Promise<void>): Promise<string> {
  if (!existsSync(path)) await make(path);
  return path;
}

/** "1e7" for 10,000,000; used in file names and tables. */
export function sizeLabel(n: number): string {
  const e = Math.log10(n);
  return Number.isInteger(e) ? `1e${e}` : String(n);
}
