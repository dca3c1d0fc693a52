// URL helpers: one canonical spelling per object (local files as absolute paths, other schemes verbatim).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { IoError } from "@tessera/common";

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//;

/** The URL's scheme in lower case ("file" for plain paths and file:// URLs, "memory", "s3", ...). */
export function schemeOf(url: string): string {
  const m = SCHEME.exec(url);
  return m === null ? "file" : (m[1] as string).toLowerCase();
}

/**
 * Canonical form of a URL or path. Plain paths (relative ones against the working directory) and
 * file:// URLs become absolute, normalized local paths; other schemes are returned unchanged.
 * Invariant: normalizeUrl(normalizeUrl(u)) === normalizeUrl(u).
 */
export function normalizeUrl(urlOrPath: string): string {
  if (urlOrPath.length === 0) throw new IoError("IO_BAD_URL", "empty URL or path");
  const scheme = schemeOf(urlOrPath);
  if (scheme !== "file") return urlOrPath;
  if (SCHEME.test(urlOrPath)) {
    try {
      return trimSlash(fileURLToPath(urlOrPath), urlOrPath);
    } catch (e) {
      throw new IoError("IO_BAD_URL", `bad file URL: ${urlOrPath} (${(e as Error).message})`);
    }
  }
  return trimSlash(path.resolve(urlOrPath), urlOrPath);
}

// path.resolve drops a trailing slash; keep it, since "dir/" names a prefix and "dir" an object.
function trimSlash(resolved: string, original: string): string {
  return original.endsWith("/") && !resolved.endsWith("/") ? resolved + "/" : resolved;
}

/** The last path segment of a URL ("" when the URL ends with "/"). */
export function baseName(url: string): string {
  return url.slice(url.lastIndexOf("/") + 1);
}

/** Joins a directory-like URL and a relative key with exactly one "/" between them. */
export function joinUrl(dir: string, key: string): string {
  if (dir.length === 0) return key;
  return dir.endsWith("/") ? dir + key.replace(/^\/+/, "") : `${dir}/${key.replace(/^\/+/, "")}`;
}
