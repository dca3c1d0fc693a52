// Garbage collection on demand: a worker's dropped results are ArrayBuffers V8 frees only at its next GC, which a heap of few JS objects rarely runs.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

type Gc = () => void;

let gc: Gc | null | undefined;

/**
 * Makes a full GC callable in this process (V8's --expose-gc, set at run time, so `tessera worker` needs no node
 * flag): here through a fresh context, and as `globalThis.gc` in worker threads started afterwards. Idempotent.
 */
export function exposeGc(): void {
  if (gc !== undefined) return;
  try {
    setFlagsFromString("--expose-gc");
    const fn = (globalThis as { gc?: Gc }).gc ?? (runInNewContext("gc") as Gc | undefined);
    gc = typeof fn === "function" ? fn : null;
  } catch {
    gc = null;
  }
}

/** Runs a full GC if one can be asked for (exposeGc, or `gc` in this thread); returns whether it ran. */
export function collectGarbage(): boolean {
  const fn = gc ?? (globalThis as { gc?: Gc }).gc;
  if (typeof fn !== "function") return false;
  fn();
  return true;
}

/** Array buffers this thread holds (live or not yet collected), in bytes. */
export function arrayBufferBytes(): number {
  return process.memoryUsage().arrayBuffers;
}
