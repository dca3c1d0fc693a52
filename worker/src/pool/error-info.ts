// Errors as data for crossing threads: ErrorInfo, plus the stack when the error is a bug rather than a TesseraError.
import { errorToInfo } from "@tessera/common";
import type { ErrorInfo } from "@tessera/common";

/**
 * Bounds on what an error may carry to the scheduler. The wire checks refuse longer strings (a name or code over 200
 * characters, a message over 64 KiB) and close the connection: an error quoting a hostile file at length must
 * cost its task, never the worker's place in the cluster.
 */
const MAX_NAME = 200;
const MAX_MESSAGE = 8 * 1024;
const MAX_DETAILS = 16 * 1024;

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max)}... (${s.length - max} more characters)`;
}

function detailsSize(d: Record<string, unknown>): number {
  try {
    return JSON.stringify(d)?.length ?? 0;
  } catch {
    return Number.POSITIVE_INFINITY;  // bigints, cycles: not sent
  }
}

export function errorInfoOf(e: unknown): ErrorInfo {
  const info = errorToInfo(e);
  if (info.category === "internal" && e instanceof Error && e.stack !== undefined) info.details = { ...info.details, stack: clip(e.stack, MAX_MESSAGE) };
  const out: ErrorInfo = { name: info.name.slice(0, MAX_NAME), code: info.code.slice(0, MAX_NAME), category: info.category, message: clip(info.message, MAX_MESSAGE) };
  if (info.details !== undefined) out.details = detailsSize(info.details) <= MAX_DETAILS ? info.details : { truncated: true };
  return out;
}
