// The `_SUCCESS` manifest of a dataset directory: which files make up the dataset, with rows, bytes and schema.
import type { Field } from "@tessera/common";
import { IoError, isTesseraError } from "@tessera/common";
import { storeFor } from "../store/registry.js";
import { joinUrl, normalizeUrl } from "../url.js";

export const MANIFEST_NAME = "_SUCCESS";

/** One data file of a dataset; `path` is relative to the dataset directory ("part-00000-….parquet", "k=v/part-….csv"). */
export interface ManifestFile {
  readonly path: string;
  readonly rows: number;
  readonly bytes: number;
}

/**
 * What a committed dataset consists of. Invariant (kept by the sinks): every listed file existed with exactly
 * `bytes` bytes when the manifest was published, and no path is listed twice.
 */
export interface DatasetManifest {
  readonly version: 1;
  readonly format: "parquet" | "csv";
  /** The sink attempt that wrote the dataset; every part name carries it. */
  readonly token: string;
  readonly schema: readonly Field[];
  readonly files: readonly ManifestFile[];
  readonly rows: number;
  readonly bytes: number;
}

/** The manifest's URL for a dataset directory. */
export function manifestUrl(dir: string): string {
  return joinUrl(normalizeUrl(dir), MANIFEST_NAME);
}

/** Builds a manifest, summing rows and bytes. */
export function makeManifest(format: "parquet" | "csv", token: string, schema: readonly Field[], files: readonly ManifestFile[]): DatasetManifest {
  return {
    version: 1, format, token, schema, files,
    rows: files.reduce((s, f) => s + f.rows, 0),
    bytes: files.reduce((s, f) => s + f.bytes, 0),
  };
}

export function encodeManifest(m: DatasetManifest): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(m, null, 1));
}

const isCount = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

/** A relative path that stays inside the dataset directory. */
function safePath(p: unknown): p is string {
  return typeof p === "string" && p.length > 0 && !p.startsWith("/") && !/^[a-z][a-z0-9+.-]*:/i.test(p) && !p.split("/").includes("..");
}

/** Parses and checks a manifest; throws IO_BAD_MANIFEST naming `url` when it is not one Tessera can honour. */
export function parseManifest(url: string, bytes: Uint8Array): DatasetManifest {
  const bad = (why: string): IoError => new IoError("IO_BAD_MANIFEST", `bad dataset manifest ${url}: ${why}`, { url });
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw bad(`not JSON (${(e as Error).message})`);
  }
  const m = raw as Partial<DatasetManifest> | null;
  if (typeof m !== "object" || m === null) throw bad("not a JSON object");
  if (m.version !== 1) throw bad(`unknown version ${JSON.stringify(m.version)}`);
  if (m.format !== "parquet" && m.format !== "csv") throw bad(`unknown format ${JSON.stringify(m.format)}`);
  if (!Array.isArray(m.files)) throw bad("no files list");
  const seen = new Set<string>();
  for (const f of m.files as unknown[]) {
    const file = f as Partial<ManifestFile> | null;
    if (file === null || typeof file !== "object" || !safePath(file.path) || !isCount(file.rows) || !isCount(file.bytes)) {
      throw bad(`bad file entry ${JSON.stringify(f)}`);
    }
    if (seen.has(file.path)) throw bad(`file ${file.path} is listed twice`);
    seen.add(file.path);
  }
  return { ...m, token: typeof m.token === "string" ? m.token : "", schema: Array.isArray(m.schema) ? m.schema : [] } as DatasetManifest;
}

/**
 * The manifest of a dataset directory; null when there is none, or when `_SUCCESS` is an empty marker (as
 * Hadoop and Spark write), which lists nothing. Throws IO_BAD_MANIFEST for a non-empty, unreadable one.
 */
export async function readManifest(dir: string): Promise<DatasetManifest | null> {
  const url = manifestUrl(dir);
  let bytes: Uint8Array;
  try {
    bytes = await storeFor(url).get(url);
  } catch (e) {
    if (isTesseraError(e) && e.code === "IO_NOT_FOUND") return null;
    throw e;
  }
  if (new TextDecoder().decode(bytes).trim().length === 0) return null;
  return parseManifest(url, bytes);
}
