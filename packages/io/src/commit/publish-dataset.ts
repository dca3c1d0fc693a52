// Publishing a dataset: one put of the manifest switches readers from the old dataset to the new, then old files go.
import { IoError, isTesseraError } from "@tessera/common";
import { storeFor } from "../store/registry.js";
import { joinUrl, normalizeUrl } from "../url.js";
import { deleteObjects } from "./delete-objects.js";
import { encodeManifest, manifestUrl, readManifest, type DatasetManifest } from "./manifest.js";
import { isPartOf } from "./part-name.js";

export interface PublishResult {
  /** URLs of the dataset's files. */
  readonly files: readonly string[];
  /** Files of the replaced dataset that were deleted. */
  readonly replaced: number;
  /** Files of the replaced dataset, or stray parts of this job, that could not be deleted (left unlisted, so unread). */
  readonly leftover: number;
}

/**
 * Makes `manifest` the dataset at `dir`. Its parts must already exist (verifyParts). The manifest replaces any
 * previous one in a single put (atomic per object on S3 and on the file store), so a reader honouring manifests
 * sees the old dataset or the new one, never a mix. Only then are the old manifest's files deleted, and parts
 * of this job that the manifest does not list (a task executed twice). Those deletions are best effort.
 * Throws IO_COMMIT with details.published = "no" when the manifest certainly was not published (the caller may
 * then delete the parts) or "unknown" when the put failed but may have landed (the caller must keep them).
 */
export async function publishDataset(dir: string, manifest: DatasetManifest): Promise<PublishResult> {
  const root = normalizeUrl(dir);
  const url = manifestUrl(root);
  const old = await readManifest(root).catch((e: unknown) => {
    if (isTesseraError(e) && e.code === "IO_BAD_MANIFEST") return null;  // unreadable: nothing known to replace
    throw e;
  });
  try {
    await storeFor(url).put(url, encodeManifest(manifest));
  } catch (e) {
    const now = await readManifest(root).catch(() => undefined);
    if (now?.token !== manifest.token || manifest.token === "") {
      const why = e instanceof Error ? e.message : String(e);
      throw new IoError("IO_COMMIT", `cannot publish the manifest of ${root}: ${why}`, { url: root, published: now === undefined ? "unknown" : "no" });
    }
  }
  const files = manifest.files.map((f) => joinUrl(root, f.path));
  const keep = new Set(files);
  const stale = (old?.files ?? []).map((f) => joinUrl(root, f.path)).filter((u) => !keep.has(u));
  let leftover = 0, replaced = stale.length;
  await deleteObjects(stale).catch(() => { leftover += stale.length; replaced = 0; });
  const prefix = root.endsWith("/") ? root : `${root}/`;
  const strays = await storeFor(prefix).list(prefix)
    .then((all) => all.map((o) => o.url).filter((u) => isPartOf(u, manifest.token) && !keep.has(u)))
    .catch(() => []);
  await deleteObjects(strays).catch(() => { leftover += strays.length; });
  return { files, replaced, leftover };
}
