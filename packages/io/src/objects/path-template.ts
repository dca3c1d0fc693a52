// Path templates of fan-out sinks: `{feature}/regional/{level}/{region_id}.csv`, values escaped so none adds or climbs a level.
import { IoError } from "@tessera/common";
import { HIVE_NULL, escapePathSegment } from "../path-escape.js";

/**
 * How a placeholder's value is spelled in the path:
 * - "segment" (`{name}`, the default): one path segment, escaped as Hive and Spark escape partition values
 *   (path-escape.ts: `/` → `%2F`, `%` → `%25`, control characters and `"#'*:=?\{[]^` escaped, `.`/`..` spelled
 *   `%2E`/`%2E%2E`); no value can add or climb a level.
 * - "levels" (`{name:levels}`): the value as written (spaces, punctuation, any Unicode), with each `/` starting a
 *   new level, as pipelines that mirror names into keys do (e.g. Causemos' region and qualifier names); a segment of
 *   the key that comes out `.` or `..` is spelled `%2E`/`%2E%2E`, so the value still cannot climb out of the place
 *   the template puts it.
 * A null value is `__HIVE_DEFAULT_PARTITION__` in both; an empty value is an error in "segment" (a segment must
 * have a name) and an empty level in "levels".
 */
export type Spelling = "segment" | "levels";

export type TemplatePart = { readonly text: string } | { readonly column: string; readonly spelling: Spelling };

export interface PathTemplate {
  readonly pattern: string;
  readonly parts: readonly TemplatePart[];
  /** The placeholder columns, each once, in order of first use. */
  readonly columns: readonly string[];
}

function bad(pattern: string, why: string): never {
  throw new IoError("IO_BAD_TEMPLATE", `path template ${JSON.stringify(pattern)}: ${why}`, { template: pattern });
}

/**
 * Parses a template: literal text, `{column}` and `{column:levels}` placeholders, `{{` and `}}` for literal braces.
 * The literal text is the caller's (never data), but may still not start with "/" or hold a "." or ".." segment,
 * so every rendered key stays below the sink's URL. Throws IoError IO_BAD_TEMPLATE naming the template.
 */
export function parsePathTemplate(pattern: string): PathTemplate {
  if (typeof pattern !== "string" || pattern.length === 0) bad(String(pattern), "a template must be a non-empty string");
  const parts: TemplatePart[] = [];
  let text = "";
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i] as string;
    if ((c === "{" || c === "}") && pattern[i + 1] === c) { text += c; i += 2; continue; }
    if (c === "}") bad(pattern, `a lone "}" at ${i} (write "}}" for a brace)`);
    if (c !== "{") { text += c; i++; continue; }
    const end = pattern.indexOf("}", i);
    if (end < 0) bad(pattern, `"{" at ${i} is not closed`);
    const inner = pattern.slice(i + 1, end);
    const [column, spelling, ...rest] = inner.split(":");
    if (column === undefined || column === "" || rest.length > 0) bad(pattern, `placeholder {${inner}} must be {column} or {column:levels}`);
    if (spelling !== undefined && spelling !== "levels") bad(pattern, `placeholder {${inner}}: unknown spelling "${spelling}" (the one option is :levels)`);
    if (text !== "") parts.push({ text });
    text = "";
    parts.push({ column, spelling: spelling === "levels" ? "levels" : "segment" });
    i = end + 1;
  }
  if (text !== "") parts.push({ text });
  const literal = parts.map((p) => ("text" in p ? p.text : "x")).join("");
  if (literal.startsWith("/")) bad(pattern, "keys are relative to the sink's URL; the template must not start with /");
  if (literal.split("/").some((seg) => seg === "." || seg === "..")) bad(pattern, `"." and ".." segments are not allowed`);
  const columns: string[] = [];
  for (const p of parts) if ("column" in p && !columns.includes(p.column)) columns.push(p.column);
  if (columns.length === 0) bad(pattern, "it has no {column} placeholder, so every group would write the same key");
  return { pattern, parts, columns };
}

/** One value spelled for the path (see Spelling). Throws IoError IO_BAD_PATH_VALUE for an empty segment value. */
export function spellValue(value: string | null, spelling: Spelling, column: string): string {
  if (value === null) return HIVE_NULL;
  if (spelling === "levels") return value;
  if (value === "") throw new IoError("IO_BAD_PATH_VALUE", `column "${column}" holds an empty string, which cannot name a path segment`, { column });
  return escapePathSegment(value);
}

/**
 * The key for one group: `valueOf(column)` gives each placeholder's value as text (null for null). A "." or ".."
 * segment of the result (only values spelled as levels can make one) is spelled %2E / %2E%2E.
 */
export function renderPath(t: PathTemplate, valueOf: (column: string) => string | null): string {
  let out = "";
  let levels = false;
  for (const p of t.parts) {
    if ("text" in p) { out += p.text; continue; }
    out += spellValue(valueOf(p.column), p.spelling, p.column);
    levels ||= p.spelling === "levels";
  }
  if (!levels || !/(^|\/)\.\.?(\/|$)/.test(out)) return out;
  return out.split("/").map((seg) => (seg === "." || seg === ".." ? seg.replaceAll(".", "%2E") : seg)).join("/");
}
