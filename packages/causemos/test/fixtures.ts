// Where the Causemos fixtures are: $TESSERA_CAUSEMOS_FIXTURES, else ../shared/fixtures/causemos beside the repository.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/**
 * The fixtures directory (inputs and the golden tree of the original pipeline; never copied into the repository).
 * Throws, naming every place it looked, when it is absent: tests that need the fixtures fail rather than skip.
 */
export function causemosFixtures(): string {
  const fromEnv = process.env["TESSERA_CAUSEMOS_FIXTURES"];
  const dir = fromEnv !== undefined && fromEnv !== "" ? path.resolve(fromEnv) : path.resolve(REPO_ROOT, "../shared/fixtures/causemos");
  const marker = path.join(dir, "geo-test-data.parquet");
  if (!existsSync(marker)) {
    throw new Error(`Causemos fixtures not found: looked for ${marker} (set TESSERA_CAUSEMOS_FIXTURES to the fixtures directory; the default is ../shared/fixtures/causemos relative to the repository root ${REPO_ROOT})`);
  }
  return dir;
}

/** A file or directory inside the fixtures. */
export function fixture(...parts: string[]): string {
  return path.join(causemosFixtures(), ...parts);
}
