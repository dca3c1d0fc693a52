// The spelling of a mapBatches reference ("module#export"): what may name a user function, checked without I/O.
import { isBuiltin } from "node:module";
import { PlanError } from "@tessera/common";

/**
 * A parsed reference. `package`: an installed package by name, optionally with a subpath its `exports` map
 * offers. `file`: an absolute path, allowed only inside a directory the workers' operator lists in
 * TESSERA_FUNCTIONS_DIR (that part is checked where the workers run, see worker/src/ops/user-functions.ts).
 */
export type FunctionRef =
  | { readonly kind: "package"; readonly ref: string; readonly name: string; readonly subpath: string; readonly exportName: string }
  | { readonly kind: "file"; readonly ref: string; readonly path: string; readonly exportName: string };

/** File extensions a functions-directory module may have. */
export const FUNCTION_FILE_EXTENSIONS: readonly string[] = [".mjs", ".js", ".cjs"];

// npm's rules for a package name (lower case, URL-safe), scoped or not; a subpath uses the same safe characters.
const PACKAGE = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~_-]*$/;
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._~-]*$/;
const EXPORT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const MAX_REF = 1024;

function refuse(ref: string, why: string): never {
  throw new PlanError("FUNCTION_NOT_ALLOWED", `mapBatches: "${ref}" is refused: ${why}`, { reference: ref });
}

/** Path segments after the first, each a plain name: no "", ".", "..", or characters outside SEGMENT. */
function checkSegments(ref: string, segments: readonly string[], what: string): void {
  for (const s of segments) {
    if (s === "..") refuse(ref, `${what} holds a ".." segment`);
    if (!SEGMENT.test(s)) refuse(ref, `${what} segment "${s}" is not a plain name (letters, digits, "._~-")`);
  }
}

/**
 * Parses and checks a reference's spelling. Refused (PlanError FUNCTION_NOT_ALLOWED naming the reference):
 * anything but a package name (with an optional plain subpath) or a clean absolute path; URLs (`file:`, `node:`,
 * `data:`, `http:` ...), percent-encoding, backslashes, control characters, `.`/`..`/empty segments, relative
 * paths, Node built-ins, and export names that are not identifiers.
 */
export function parseFunctionRef(ref: unknown): FunctionRef {
  if (typeof ref !== "string" || ref.length === 0) refuse(String(ref), "a reference is a non-empty string \"module#export\"");
  if (ref.length > MAX_REF) refuse(`${ref.slice(0, 60)}...`, `longer than ${MAX_REF} characters`);
  if (/[\u0000-\u001f\u007f]/.test(ref)) refuse(ref, "it holds control characters");
  if (ref.includes("%")) refuse(ref, "percent-encoding is not allowed");
  if (ref.includes("\\")) refuse(ref, "backslashes are not allowed");
  const hash = ref.indexOf("#");
  if (hash !== ref.lastIndexOf("#")) refuse(ref, "more than one \"#\"");
  const mod = hash >= 0 ? ref.slice(0, hash) : ref;
  const exportName = hash >= 0 ? ref.slice(hash + 1) : "default";
  if (!EXPORT.test(exportName)) refuse(ref, `export "${exportName}" is not an identifier`);
  if (mod.length === 0) refuse(ref, "no module before \"#\"");
  if (mod.includes(":")) refuse(ref, "URLs and scheme prefixes (file:, node:, data:, ...) are not allowed");
  if (mod.startsWith("/")) {
    const segments = mod.slice(1).split("/");
    checkSegments(ref, segments, "the path");
    if (!FUNCTION_FILE_EXTENSIONS.some((e) => mod.endsWith(e))) refuse(ref, `a module file ends in ${FUNCTION_FILE_EXTENSIONS.join(", ")}`);
    return { kind: "file", ref, path: mod, exportName };
  }
  if (mod.startsWith(".")) refuse(ref, "relative paths are not allowed (name an installed package, or a file in TESSERA_FUNCTIONS_DIR by its absolute path)");
  const parts = mod.split("/");
  const nameParts = mod.startsWith("@") ? 2 : 1;
  const name = parts.slice(0, nameParts).join("/");
  if (isBuiltin(name) || isBuiltin(mod)) refuse(ref, `"${mod}" is a Node built-in, not an installed user module`);
  if (!PACKAGE.test(name)) refuse(ref, `"${name}" is not a package name`);
  const rest = parts.slice(nameParts);
  checkSegments(ref, rest, "the subpath");
  return { kind: "package", ref, name, subpath: rest.length === 0 ? "" : `/${rest.join("/")}`, exportName };
}
