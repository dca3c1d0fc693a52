// Names of a sink attempt's objects: attempt-unique part files and the marker saying an attempt was abandoned.
import { randomBytes } from "node:crypto";
import { baseName, joinUrl, normalizeUrl } from "../url.js";

/**
 * `part-00003-<token>-<nonce>.parquet`: `token` names the sink job, `nonce` this execution of the task, so a
 * task run twice (a worker lost mid-write) never overwrites or duplicates another execution's file.
 */
export function partFileName(index: number, token: string, ext: string): string {
  return `part-${String(index).padStart(5, "0")}-${token}-${randomBytes(4).toString("hex")}.${ext}`;
}

/** True when the URL names a part file written by the sink job `token`. */
export function isPartOf(url: string, token: string): boolean {
  const name = baseName(url);
  return name.startsWith("part-") && name.includes(`-${token}-`);
}

/** The hidden object that marks the sink job `token` as abandoned (see abortAttempt). */
export function abortMarkerUrl(dir: string, token: string): string {
  return joinUrl(normalizeUrl(dir), `_tessera-aborted-${token}`);
}
