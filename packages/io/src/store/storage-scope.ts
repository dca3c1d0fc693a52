// The storage scope: URL prefixes an operator allows reads and writes under, and whether a URL lies inside them.
import { realpathSync } from "node:fs";
import path from "node:path";
import { IoError } from "@tessera/common";
import { normalizeUrl, schemeOf } from "../url.js";

/** Environment variable holding the scope: URL prefixes separated by commas (the CLI's --storage-scope adds more). */
export const STORAGE_SCOPE_ENV = "TESSERA_STORAGE_SCOPE";

/**
 * Where a URL points, in the form the object stores open it: for files the absolute path after symlinks (of the
 * deepest ancestor that exists), for other schemes the bucket (or host) and the key, literally.
 */
interface Location {
  readonly scheme: string;
  /** file: the real path; others: "bucket/key". */
  readonly where: string;
}

const AUTHORITY = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/]*)(?:\/(.*))?$/s;

/** The real path of `p`: realpath of its deepest existing ancestor, with the rest of its segments appended. */
function realish(p: string): string {
  const rest: string[] = [];
  for (let cur = p; ; cur = path.dirname(cur)) {
    try {
      return path.join(realpathSync(cur), ...rest.reverse());
    } catch {
      if (path.dirname(cur) === cur) return p;
      rest.push(path.basename(cur));
    }
  }
}

/**
 * The canonical location of `url`, or null when it cannot be placed unambiguously: backslashes, control
 * characters, "." or ".." segments in an object key, an empty bucket or host, or a file URL that does not parse.
 */
function locate(url: string): Location | null {
  if (url.length === 0 || /[\\\u0000-\u001f\u007f]/.test(url)) return null;
  const scheme = schemeOf(url);
  if (scheme === "file") {
    let p: string;
    try {
      // The same spelling FileStore opens: file: URLs decoded by the WHATWG parser, plain paths resolved lexically.
      p = normalizeUrl(url);
    } catch {
      return null;
    }
    return { scheme, where: realish(p.length > 1 ? p.replace(/\/+$/, "") : p) };
  }
  const m = AUTHORITY.exec(url);
  const bucket = m?.[1];
  if (m === null || bucket === undefined || bucket.length === 0) return null;
  const key = m[2] ?? "";
  if (key.split("/").some((s) => s === "." || s === "..")) return null;
  // A trailing "/" names the same prefix as none: "s3://b/data/" and "s3://b/data" both hold "s3://b/data/x".
  return { scheme, where: `${bucket}/${key}`.replace(/\/+$/, "") };
}

/** Whether `inner` is `outer` or lies below it, by whole path segments ("/data" holds "/data/x", not "/database"). */
function within(inner: string, outer: string): boolean {
  if (inner === outer) return true;
  const base = outer.endsWith("/") ? outer : `${outer}/`;
  return inner.startsWith(base);
}

/**
 * The URL prefixes reads and writes must stay under. Unscoped (no prefixes) allows everything: the embedded
 * default is the user's own process. Prefixes are whole path segments: `s3://bucket` holds
 * `s3://bucket/any/key` but not `s3://bucket-other/...`; `/data` holds `/data/x` but not `/database`.
 * Checks compare the form the stores open: file URLs decoded, paths resolved, symlinks followed (a symlink
 * inside an allowed directory pointing out of it is outside); object keys literally, with "." and ".."
 * segments, backslashes and control characters refused. Schemes compare case-insensitively, buckets and keys
 * case-sensitively (as S3 does).
 */
export class StorageScope {
  private constructor(readonly prefixes: readonly string[]) {}

  /** A scope allowing every URL. */
  static unscoped(): StorageScope {
    return new StorageScope([]);
  }

  /** A scope of these prefixes (none: unscoped). Throws IoError IO_BAD_SCOPE for a prefix that cannot be placed. */
  static of(prefixes: readonly string[]): StorageScope {
    for (const p of prefixes) {
      if (locate(p) === null) throw new IoError("IO_BAD_SCOPE", `storage scope prefix "${p}" is not a URL or path that can be placed`, { prefix: p });
    }
    return new StorageScope([...prefixes]);
  }

  /** Prefixes from a TESSERA_STORAGE_SCOPE value: comma-separated, blanks ignored. */
  static parseList(value: string | undefined): string[] {
    return (value ?? "").split(",").map((s) => s.trim()).filter((s) => s.length > 0);
  }

  /** The scope of the environment variable plus `extra` prefixes (e.g. from --storage-scope flags). */
  static fromEnv(extra: readonly string[] = [], env: NodeJS.ProcessEnv = process.env): StorageScope {
    return StorageScope.of([...StorageScope.parseList(env[STORAGE_SCOPE_ENV]), ...extra]);
  }

  get isScoped(): boolean {
    return this.prefixes.length > 0;
  }

  /** Whether `url` lies inside one of the prefixes (always true when unscoped). */
  allows(url: string): boolean {
    if (!this.isScoped) return true;
    const at = locate(url);
    if (at === null) return false;
    return this.prefixes.some((p) => {
      const scope = locate(p);
      return scope !== null && scope.scheme === at.scheme && within(at.where, scope.where);
    });
  }

  /** Throws IoError STORAGE_OUT_OF_SCOPE naming the URL and the scope unless `allows(url)`. */
  check(url: string, access: "read" | "write" = "read"): void {
    if (this.allows(url)) return;
    throw new IoError("STORAGE_OUT_OF_SCOPE", `${access} of ${url} refused: outside the storage scope (${this.toString()})`, {
      url, access, scope: [...this.prefixes],
    });
  }

  toString(): string {
    return this.isScoped ? this.prefixes.join(", ") : "unscoped";
  }
}
