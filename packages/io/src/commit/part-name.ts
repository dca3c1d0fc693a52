// Names of a sink attempt's objects: attempt-unique part files and the marker saying an attempt was abandoned.
import { randomBytes } from "node:crypto";
import { IoError } from "@tessera/common";
import { baseName, joinUrl, normalizeUrl } from "../url.js";

/** Sink tokens, part indexes and extensions come from task args: checked, so none can add a path component. */
function checked(index: number, token: string, ext = "x"): void {
  if (!/^[0-9A-Za-z]{1,64}$/.test(token) || !/^[a-z]{1,16}$/.test(ext) || !Number.isSafeInteger(index) || index < 0) {
    throw new IoError("IO_BAD_PART_NAME", `a part file name needs a non-negative integer index, an alphanumeric token and extension (got ${JSON.stringify([index, token, ext])})`);
  }
}

/**
 * `part-00003-<token>-<nonce>.parquet`: `token` names the sink job, `nonce` this execution of the task, so a
 * task run twice (a worker lost mid-write) never overwrites or duplicates another execution's file.
 */
export function partFileName(index: number, token: string, ext: string): string {
  checked(index, token, ext);
  return `part-${String(index).padStart(5, "0")}-${token}-${randomBytes(4).toString("hex")}.${ext}`;
}

/** True when the URL names a part file written by the sink job `token`. */
export function isPartOf(url: string, token: string): boolean {
  const name = baseName(url);
  return name.startsWith("part-") && name.includes(`-${token}-`);
}

/** The hidden object that marks the sink job `token` as abandoned (see abortAttempt). */
export function abortMarkerUrl(dir: string, token: string): string {
  checked(0, token);
  return joinUrl(normalizeUrl(dir), `_tessera-aborted-${token}`);
}
