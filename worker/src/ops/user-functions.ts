// Resolves "module#export" references for mapBatches, only to modules the worker's operator installed or allowed.
import { isBuiltin } from "node:module";
import { isAbsolute, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { ExecutionError } from "@tessera/common";

/** Directories (colon-separated) whose files mapBatches may load by absolute path, besides installed packages. */
export const FUNCTIONS_DIR_ENV = "TESSERA_FUNCTIONS_DIR";

function allowedDirs(): string[] {
  return (process.env[FUNCTIONS_DIR_ENV] ?? "").split(":").filter((d) => d.length > 0).map((d) => resolve(d));
}

/**
 * Checks that `spec` names an installed package (a bare specifier that is not a Node built-in) or a file inside a
 * directory listed in TESSERA_FUNCTIONS_DIR. Clients name functions; they never choose arbitrary files or built-ins.
 */
export function checkModuleSpec(spec: string): string {
  if (spec.startsWith("node:") || isBuiltin(spec)) {
    throw new ExecutionError("FUNCTION_NOT_ALLOWED", `mapBatches: "${spec}" is a Node built-in, not an installed user module`);
  }
  const isPath = spec.startsWith("file:") || isAbsolute(spec) || spec.startsWith(".");
  if (!isPath) return spec;
  if (spec.startsWith(".")) throw new ExecutionError("FUNCTION_NOT_ALLOWED", `mapBatches: relative module paths are not allowed ("${spec}")`);
  const path = resolve(spec.startsWith("file:") ? fileURLToPath(spec) : spec);
  if (!allowedDirs().some((d) => path.startsWith(d + sep))) {
    throw new ExecutionError("FUNCTION_NOT_ALLOWED", `mapBatches: ${path} is not inside a directory listed in ${FUNCTIONS_DIR_ENV}`);
  }
  return path;
}
