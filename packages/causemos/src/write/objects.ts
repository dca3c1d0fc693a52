// Where a run's objects go (spec §14 under the output URL) and the few run-level objects the client writes itself.
import type { JsonValue } from "tessera";
import { IoError, formatJson, storeFor } from "tessera";

/**
 * The run's root: `out` (file://DIR, a path, s3://BUCKET[/PREFIX], or "none") plus `{model_id}/{run_id}`. The model
 * and run ids are checked path segments (params.ts), appended as they are, never parsed as a URL.
 */
export function runRoot(out: string, modelId: string, runId: string): string {
  if (out === "none") return "none";
  if (out === "") throw new IoError("IO_BAD_URL", "the output URL is empty; give file://DIR, s3://BUCKET or none");
  const base = out.startsWith("file://") ? decodeURIComponent(out.slice("file://".length)) : out;
  return `${base.replace(/\/+$/, "")}/${modelId}/${runId}`;
}

/** The URL of `key` under a root ("none" keeps nothing). */
export function objectUrl(root: string, key: string): string {
  return root === "none" ? `none://${key}` : `${root}/${key}`;
}

/**
 * `key` spelled as the fan-out sinks spell `{column:levels}` values: as written, except that a "." or ".." segment is
 * %2E / %2E%2E, so a feature or qualifier name can never lead a key out of the run's root.
 */
export function safeKey(key: string): string {
  return key.split("/").map((s) => (s === "." || s === ".." ? s.replaceAll(".", "%2E") : s)).join("/");
}

/** Writes one JSON object as Python's json.dumps would (summaries, results.json: run-level objects the client owns). */
export async function putJson(root: string, key: string, value: JsonValue): Promise<number> {
  const bytes = new TextEncoder().encode(formatJson(value, { numberFormat: "python" }));
  const url = objectUrl(root, safeKey(key));
  await storeFor(url).put(url, bytes);
  return bytes.length;
}

/** Deletes one object (a missing one is fine). */
export async function deleteObject(root: string, key: string): Promise<void> {
  const url = objectUrl(root, safeKey(key));
  await storeFor(url).delete(url);
}
