// A directory's files and their bytes, keyed by path relative to it (read from disk, not through Tessera).
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";

export function readTree(dir: string): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  if (!existsSync(dir)) return out;
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p); else out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}
