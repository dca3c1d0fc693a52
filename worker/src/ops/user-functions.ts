// Resolves "module#export" references for mapBatches, only to modules the worker's operator installed or allowed.
import { existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { PlanError } from "@tessera/common";
import type { TaskSpec } from "@tessera/graph";
import type { FunctionRef } from "@tessera/plan";
import type { PipelineArgs } from "@tessera/ops";
import { parseFunctionRef } from "@tessera/plan";

/** Directories (colon-separated) whose files mapBatches may load by absolute path, besides installed packages. */
export const FUNCTIONS_DIR_ENV = "TESSERA_FUNCTIONS_DIR";

/** Where installed packages are looked up from: this module's own place, as Node resolves its imports. */
const BASE = dirname(fileURLToPath(import.meta.url));

/** A reference that passed every check: the real file to import and the export to call. */
export interface ResolvedFunction {
  readonly ref: string;
  readonly url: string;
  readonly exportName: string;
}

/** The directories listed in TESSERA_FUNCTIONS_DIR (or given), absolute. */
export function functionsDirs(value = process.env[FUNCTIONS_DIR_ENV] ?? ""): string[] {
  return value.split(":").filter((d) => d.length > 0).map((d) => resolve(d));
}

/** What a reference is for, in error messages: a mapBatches function or a tile sink's encoder. */
export type FunctionUse = "mapBatches" | "sinkTiles";

function refuse(use: FunctionUse, ref: string, why: string, code = "FUNCTION_NOT_ALLOWED"): never {
  throw new PlanError(code, `${use}: "${ref}" is refused: ${why}`, { reference: ref });
}

function real(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

const inside = (path: string, dir: string): boolean => path.startsWith(dir.endsWith(sep) ? dir : dir + sep);

/** The directory of installed package `name`, found as Node finds it: node_modules folders from BASE upwards. */
function packageDir(name: string): string | null {
  for (let dir = BASE; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dirname(dir) === dir) return null;
  }
}

function resolvePackage(r: Extract<FunctionRef, { kind: "package" }>, use: FunctionUse): string {
  const dir = packageDir(r.name);
  if (dir === null) refuse(use, r.ref, `"${r.name}" is not an installed package`, "FUNCTION_NOT_FOUND");
  let manifest: { exports?: unknown };
  try {
    manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { exports?: unknown };
  } catch (e) {
    refuse(use, r.ref, `the package.json of "${r.name}" cannot be read (${(e as Error).message})`, "FUNCTION_NOT_FOUND");
  }
  // Without an exports map Node would serve any file of the package by its path: only the main entry is allowed then.
  if (r.subpath !== "" && manifest.exports === undefined) refuse(use, r.ref, `"${r.name}" has no "exports" map, so only its main entry can be named`);
  let resolved: string;
  try {
    resolved = import.meta.resolve(`${r.name}${r.subpath}`);
  } catch (e) {
    refuse(use, r.ref, `"${r.name}${r.subpath}" is not offered by the package's exports or main (${(e as Error).message})`, "FUNCTION_NOT_FOUND");
  }
  if (!resolved.startsWith("file:")) refuse(use, r.ref, `it resolves to ${resolved}, not a file of the package`);
  const file = real(fileURLToPath(resolved));
  const root = real(dir);
  if (file === null || root === null) refuse(use, r.ref, `"${r.name}${r.subpath}" resolves to a file that does not exist`, "FUNCTION_NOT_FOUND");
  if (!inside(file, root)) refuse(use, r.ref, `it resolves (after symlinks) to ${file}, outside the package's directory ${root}`);
  return file;
}

function resolveFile(r: Extract<FunctionRef, { kind: "file" }>, dirs: readonly string[], use: FunctionUse): string {
  const dir = dirs.find((d) => inside(r.path, d));
  if (dir === undefined) refuse(use, r.ref, `${r.path} is not inside a directory listed in ${FUNCTIONS_DIR_ENV}`);
  const file = real(r.path);
  const root = real(dir);
  if (file === null || root === null) refuse(use, r.ref, `${r.path} does not exist`, "FUNCTION_NOT_FOUND");
  if (!inside(file, root)) refuse(use, r.ref, `${r.path} leads (after symlinks) to ${file}, outside ${dir} (a directory listed in ${FUNCTIONS_DIR_ENV})`);
  if (!statSync(file).isFile()) refuse(use, r.ref, `${r.path} is not a file`, "FUNCTION_NOT_FOUND");
  return file;
}

/**
 * Resolves a mapBatches reference to the real file to import. Allowed: a file inside an installed package's
 * directory reached through its `exports` map or main entry, or a file inside a directory listed in
 * TESSERA_FUNCTIONS_DIR; in both cases after following symlinks (realpath). Everything else throws PlanError
 * FUNCTION_NOT_ALLOWED (or FUNCTION_NOT_FOUND) naming the reference, without loading anything.
 */
export function resolveUserFunction(ref: unknown, dirs: readonly string[] = functionsDirs(), use: FunctionUse = "mapBatches"): ResolvedFunction {
  const r = parseFunctionRef(ref);
  const file = r.kind === "package" ? resolvePackage(r, use) : resolveFile(r, dirs, use);
  return { ref: r.ref, url: pathToFileURL(file).href, exportName: r.exportName };
}

/**
 * The module references a task would load, whatever shape its args have: the mapBatches functions of a "pipeline"
 * task's steps, and the tile encoder of a "sink-objects" task (see tileEncoderRefOf).
 */
export function functionRefsOf(task: TaskSpec): unknown[] {
  if (typeof task.args !== "object" || task.args === null) return [];
  if (task.op === "sink-objects") return tileEncoderRefOf(task);
  if (task.op !== "pipeline") return [];
  const steps = (task.args as Partial<PipelineArgs>).steps;
  if (!Array.isArray(steps)) return [];
  return steps.filter((s: unknown) => typeof s === "object" && s !== null && (s as { t?: unknown }).t === "mapBatches").map((s) => (s as { fn?: unknown }).fn);
}

/** The tile encoder reference of a "sink-objects" task writing tiles ([] for any other task). */
export function tileEncoderRefOf(task: TaskSpec): unknown[] {
  if (task.op !== "sink-objects" || typeof task.args !== "object" || task.args === null) return [];
  const format = (task.args as { format?: { kind?: unknown; encoder?: unknown } }).format;
  return format?.kind === "tile" ? [format.encoder] : [];
}
