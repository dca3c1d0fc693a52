// Scratch directories and file helpers for tests: temp dirs removed at exit, recursive listing, URL → path.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const created: string[] = [];
let hooked = false;

/** A fresh empty directory under the OS temp dir, removed when the test process exits. */
export function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `tessera-it-${label}-`));
  created.push(dir);
  if (!hooked) {
    hooked = true;
    process.once("exit", () => {
      for (const d of created) rmSync(d, { recursive: true, force: true });
    });
  }
  return dir;
}

/** A `file://` URL or a plain path → a plain path. */
export function localPath(urlOrPath: string): string {
  return urlOrPath.startsWith("file://") ? fileURLToPath(urlOrPath) : urlOrPath;
}

/** Every file under `dir` (recursively) whose name ends with `suffix`, sorted. */
export function listFiles(dir: string, suffix = ""): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import("node:fs").Dirent[])
    .filter((e) => e.isFile() && e.name.endsWith(suffix))
    .map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name))
    .sort();
}
