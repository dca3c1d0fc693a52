// The files a scan reads: like expandUrls, except that a directory with a `_SUCCESS` manifest means exactly its files.
import { isTesseraError } from "@tessera/common";
import { expandUrls, hasGlob } from "../store/glob.js";
import { storeFor } from "../store/registry.js";
import { joinUrl, normalizeUrl } from "../url.js";
import { readManifest } from "./manifest.js";

/** A file to scan; `size` is known when a manifest or listing gave it (saves a HEAD). */
export interface DatasetFile {
  readonly url: string;
  readonly size?: number;
}

async function expandOne(raw: string): Promise<DatasetFile[]> {
  const pattern = normalizeUrl(raw);
  if (hasGlob(pattern)) return (await expandUrls(pattern)).map((url) => ({ url }));
  if (!pattern.endsWith("/")) {
    try {
      const o = await storeFor(pattern).head(pattern);
      return [{ url: o.url, size: o.size }];
    } catch (e) {
      if (!isTesseraError(e) || e.code !== "IO_NOT_FOUND") throw e;
    }
  }
  const dir = pattern.endsWith("/") ? pattern : `${pattern}/`;
  const manifest = await readManifest(dir);
  if (manifest !== null) return manifest.files.map((f) => ({ url: joinUrl(dir, f.path), size: f.bytes }));
  return (await expandUrls(dir)).map((url) => ({ url }));
}

/**
 * The files named by URLs, globs and directories, in canonical form, duplicates dropped (see expandUrls).
 * A directory holding a non-empty `_SUCCESS` manifest names exactly the files the manifest lists (paths relative
 * to the directory), in the manifest's order: parts of failed or in-flight sink attempts beside them are not
 * read. Without a manifest a directory names every file under it not hidden by "_" or ".". Globs are taken
 * literally (one listing of their prefix). Throws IO_NOT_FOUND naming a pattern that matches nothing.
 */
export async function expandDataset(urlOrGlob: string | readonly string[]): Promise<DatasetFile[]> {
  const patterns = typeof urlOrGlob === "string" ? [urlOrGlob] : urlOrGlob;
  const lists = await Promise.all(patterns.map(expandOne));
  const byUrl = new Map<string, DatasetFile>();
  for (const f of lists.flat()) if (!byUrl.has(f.url)) byUrl.set(f.url, f);
  return [...byUrl.values()];
}
