// Running Tessera frames in tests: whether the engine has landed, collecting rows, and capturing failures.
import type * as arrow from "apache-arrow";
import * as tessera from "tessera";
import { tableRows } from "./compare.js";
import type { Rows } from "./plain.js";

/**
 * Whether the `tessera` umbrella exports the engine. It always does now, and an empty one is a broken build: it
 * fails every suite importing this module rather than letting `describe.skipIf(!engineLanded)` skip them silently.
 */
export const engineLanded = Object.keys(tessera).length > 0;
if (!engineLanded) throw new Error("the tessera package exports nothing: build it first (npx tsc -b)");

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
