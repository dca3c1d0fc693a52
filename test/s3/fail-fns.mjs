// User functions for interrupted-sink tests (mapBatches "module#export", resolved in the worker threads).
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** Modification times of the files under `dir` (recursively) whose names start with `prefix`. */
function mtimes(dir, prefix) {
  try {
    return readdirSync(dir, { recursive: true }).map(String)
      .filter((p) => p.split("/").pop().startsWith(prefix))
      .map((p) => statSync(join(dir, p)).mtimeMs);
  } catch {
    return [];
  }
}

/**
 * Passes batches through, except one holding a negative x: that one waits (at most 10 s) until a part file
 * newer than the dataset's manifest (any part, when there is no manifest) is in the directory
 * TESSERA_TEST_WATCH_DIRS maps the negative value to, then throws. So the sink fails after another partition
 * of the same job wrote a part, which is what cleanup must handle. (s3rver keeps "<key>._S3rver_object" files.)
 */
export async function failAfterAPart(batch) {
  const x = batch.getChild("x").toArray();
  const marker = x.reduce((m, v) => (v < m ? v : m), 0);
  if (marker >= 0) return batch;
  const dir = JSON.parse(process.env.TESSERA_TEST_WATCH_DIRS ?? "{}")[String(marker)];
  if (dir === undefined) throw new Error(`failAfterAPart: no watch directory for ${marker}`);
  const published = Math.max(0, ...mtimes(dir, "_SUCCESS"));
  const deadline = Date.now() + 10_000;
  const landed = () => mtimes(dir, "part-").some((t) => t > published);
  while (Date.now() < deadline && !landed()) await new Promise((r) => setTimeout(r, 10));
  throw new Error(`injected failure in the partition holding x = ${marker}, ${landed() ? "after another part landed" : "but no other part appeared"}`);
}
