// Glob expansion over any ObjectStore: `*` and `?` within one path segment, `**` across segments.
import { IoError, isTesseraError } from "@tessera/common";
import { normalizeUrl } from "../url.js";
import { storeFor } from "./registry.js";

/** True when the string contains a glob wildcard (`*` or `?`). Brackets are not wildcards here. */
export function hasGlob(pattern: string): boolean {
  return /[*?]/.test(pattern);
}

/** The literal part of a pattern up to and including the last "/" before its first wildcard. */
export function globPrefix(pattern: string): string {
  const first = pattern.search(/[*?]/);
  if (first < 0) return pattern;
  return pattern.slice(0, pattern.lastIndexOf("/", first) + 1);
}

/** A RegExp matching whole URLs against a glob: `*` any run within a segment, `?` one character, `**` any number of segments. */
export function globToRegExp(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === "*" && pattern[i + 1] === "*") {
      const slashAfter = pattern[i + 2] === "/";
      const slashBefore = i === 0 || pattern[i - 1] === "/";
      if (slashBefore && slashAfter) { re += "(?:[^/]*/)*"; i += 2; }  // "a/**/b" also matches "a/b"
      else { re += ".*"; i += 1; }
    } else if (c === "*") {
      re += "[^/]*";
    } else if (c === "?") {
      re += "[^/]";
    } else {
      re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
    }
  }
  return new RegExp(`^${re}$`);
}

// Files a dataset directory holds that are not data: "_SUCCESS", "_manifest", ".part-0.tmp", ...
function isHidden(relative: string): boolean {
  return relative.split("/").some((seg) => seg.startsWith("_") || seg.startsWith("."));
}

async function expandOne(raw: string): Promise<string[]> {
  const pattern = normalizeUrl(raw);
  const store = storeFor(pattern);
  if (hasGlob(pattern)) {
    const re = globToRegExp(pattern);
    const hits = (await store.list(globPrefix(pattern))).map((o) => o.url).filter((u) => re.test(u));
    if (hits.length === 0) throw new IoError("IO_NOT_FOUND", `no files match ${raw}`, { url: raw });
    return hits;
  }
  if (!pattern.endsWith("/")) {
    try {
      return [(await store.head(pattern)).url];
    } catch (e) {
      if (!isTesseraError(e) || e.code !== "IO_NOT_FOUND") throw e;
    }
  }
  // Not an object: treat it as a directory and take its data files.
  const dir = pattern.endsWith("/") ? pattern : `${pattern}/`;
  const hits = (await store.list(dir)).map((o) => o.url).filter((u) => !isHidden(u.slice(dir.length)));
  if (hits.length === 0) throw new IoError("IO_NOT_FOUND", `not found: ${raw} (no such file, and no data files under it)`, { url: raw });
  return hits;
}

/**
 * The object URLs a URL, glob, directory or list of them names, in canonical form (see normalizeUrl).
 * Each pattern's matches are sorted; patterns keep their order; duplicates are dropped.
 * A directory (an existing prefix that is not an object) names every file under it except those
 * with a path segment starting with "_" or "." (manifests, temporary files).
 * Throws IO_NOT_FOUND naming the pattern when one matches nothing.
 */
export async function expandUrls(urlOrGlob: string | readonly string[]): Promise<string[]> {
  const patterns = typeof urlOrGlob === "string" ? [urlOrGlob] : urlOrGlob;
  if (patterns.length === 0) throw new IoError("IO_NOT_FOUND", "no files given (empty list of URLs)");
  const lists = await Promise.all(patterns.map(expandOne));
  return [...new Set(lists.flat())];
}
