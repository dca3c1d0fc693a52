// Abandoning a sink job: mark it aborted, then delete its parts; a part written after that deletes itself.
import { isTesseraError } from "@tessera/common";
import { storeFor } from "../store/registry.js";
import { normalizeUrl } from "../url.js";
import { deleteObjects } from "./delete-objects.js";
import { abortMarkerUrl, isPartOf } from "./part-name.js";

/**
 * Removes every part of sink job `token` under `dir` and leaves a marker (`_tessera-aborted-<token>`, hidden
 * from scans). Tasks still running when the job failed check the marker after writing (attemptAborted) and
 * delete their own part: a part put before the marker is seen by this listing, one put after sees the marker
 * (stores here are strongly consistent for puts and lists, as S3 is). Returns how many parts it deleted.
 */
export async function abortAttempt(dir: string, token: string): Promise<number> {
  const root = normalizeUrl(dir);
  const marker = abortMarkerUrl(root, token);
  await storeFor(marker).put(marker, new Uint8Array(0));
  const prefix = root.endsWith("/") ? root : `${root}/`;
  const parts = (await storeFor(prefix).list(prefix)).map((o) => o.url).filter((u) => isPartOf(u, token));
  await deleteObjects(parts);
  return parts.length;
}

/** True when sink job `token` was abandoned (its marker exists). */
export async function attemptAborted(dir: string, token: string): Promise<boolean> {
  const marker = abortMarkerUrl(dir, token);
  try {
    // A GET of the empty marker: one request either way (a HEAD that misses costs a second, to tell a missing bucket).
    await storeFor(marker).get(marker);
    return true;
  } catch (e) {
    if (isTesseraError(e) && e.code === "IO_NOT_FOUND") return false;
    throw e;
  }
}
