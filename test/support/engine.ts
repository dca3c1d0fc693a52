// Running Tessera frames in tests: whether the engine has landed, collecting rows, and capturing failures.
import type * as arrow from "apache-arrow";
import * as tessera from "tessera";
import { tableRows } from "./compare.js";
import type { Rows } from "./plain.js";

/**
 * False while the `tessera` umbrella is still the empty placeholder: suites that drive the engine skip
 * themselves until it exports anything, then run (and fail loudly on any missing name).
 */
export const engineLanded = Object.keys(tessera).length > 0;

/** Anything with Tessera's `collect` terminal. */
export interface Collectable {
  collect(opts?: { client?: unknown }): Promise<arrow.Table>;
}

/** Collects a frame and converts the result to plain rows (see plain.ts). */
export async function collectRows(frame: Collectable, opts?: { client?: unknown }): Promise<Rows> {
  return tableRows(await frame.collect(opts));
}

/**
 * The error `f` throws or rejects with (building a plan may throw synchronously, running it rejects);
 * fails the test if `f` succeeds.
 */
export async function failure(f: () => unknown): Promise<Error & { code?: string; category?: string }> {
  try {
    await f();
  } catch (e) {
    if (e instanceof Error) return e;
    throw new Error(`expected an Error, got a thrown ${typeof e}: ${String(e)}`);
  }
  throw new Error("expected the call to fail, but it succeeded");
}
