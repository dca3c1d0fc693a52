// Regular expressions a client may send (`str.matches`): a subset whose matching time stays polynomial in the input.
import { PlanError } from "@tessera/common";

/** Longest pattern accepted, in UTF-16 code units. */
export const MAX_REGEX_LENGTH = 1000;

function refuse(pattern: string, why: string): never {
  throw new PlanError("UNSAFE_REGEX", `str.matches: pattern ${JSON.stringify(pattern.slice(0, 100))} is refused: ${why}`, { pattern: pattern.slice(0, 200) });
}

interface Group {
  /** The group holds a quantifier or an alternation somewhere inside. */
  risky: boolean;
}

/**
 * Checks a JavaScript regular expression (Unicode mode) before any worker compiles it. Patterns run where the
 * data is, so a pattern must not be able to stall a worker by backtracking: refused are backreferences (`\1`,
 * `\k<name>`), lookahead and lookbehind, and a quantifier (`*`, `+`, `?`, `{n,m}`) applied to a group that itself
 * holds a quantifier or an alternation (`(a+)+`, `(a|aa)*`), the shapes of catastrophic backtracking; also
 * patterns longer than MAX_REGEX_LENGTH and patterns that do not compile. What is left (classes, anchors, `\s`,
 * `\d`, alternation outside quantified groups, quantified atoms and plain groups) matches in polynomial time.
 * Throws PlanError UNSAFE_REGEX (or BAD_ARGUMENT for a pattern that does not compile) naming the pattern.
 */
export function checkSafeRegex(pattern: string): void {
  if (typeof pattern !== "string") throw new PlanError("BAD_ARGUMENT", "str.matches takes a pattern string");
  if (pattern.length > MAX_REGEX_LENGTH) refuse(pattern, `longer than ${MAX_REGEX_LENGTH} characters`);
  try {
    new RegExp(pattern, "u");
  } catch (e) {
    throw new PlanError("BAD_ARGUMENT", `str.matches: pattern ${JSON.stringify(pattern.slice(0, 100))} is not a regular expression (${(e as Error).message})`);
  }
  const stack: Group[] = [{ risky: false }];
  /** The last complete atom: a group (with its riskiness) or a plain atom; null right after "(" or "|". */
  let last: { group: boolean; risky: boolean } | null = null;
  let i = 0;
  const top = (): Group => stack[stack.length - 1] as Group;
  const quantified = (): void => {
    if (last !== null && last.group && last.risky) refuse(pattern, "a quantifier applies to a group holding a quantifier or an alternation");
    top().risky = true;
    last = { group: false, risky: true };
  };
  while (i < pattern.length) {
    const c = pattern[i] as string;
    if (c === "\\") {
      const d = pattern[i + 1] ?? "";
      if (/[1-9]/.test(d) || d === "k") refuse(pattern, "backreferences are not allowed");
      // \u{...}, \p{...}, \x.. and the like are single atoms; skip a braced tail whole.
      let j = i + 2;
      if ((d === "u" || d === "p" || d === "P") && pattern[j] === "{") j = pattern.indexOf("}", j) + 1;
      i = j > 0 ? j : pattern.length;
      last = { group: false, risky: false };
      continue;
    }
    if (c === "[") {
      let j = i + 1;
      if (pattern[j] === "^") j++;
      if (pattern[j] === "]") j++;
      while (j < pattern.length && pattern[j] !== "]") j += pattern[j] === "\\" ? 2 : 1;
      i = j + 1;
      last = { group: false, risky: false };
      continue;
    }
    if (c === "(") {
      if (pattern.startsWith("(?=", i) || pattern.startsWith("(?!", i) || pattern.startsWith("(?<=", i) || pattern.startsWith("(?<!", i)) {
        refuse(pattern, "lookahead and lookbehind are not allowed");
      }
      stack.push({ risky: false });
      i += pattern.startsWith("(?:", i) ? 3 : pattern.startsWith("(?<", i) ? pattern.indexOf(">", i) + 1 : 1;
      last = null;
      continue;
    }
    if (c === ")") {
      const g = stack.pop() as Group;
      if (g.risky) top().risky = true;
      last = { group: true, risky: g.risky };
      i++;
      continue;
    }
    if (c === "|") {
      top().risky = true;
      last = null;
      i++;
      continue;
    }
    if (c === "*" || c === "+" || c === "?") {
      quantified();
      i++;
      if (pattern[i] === "?") i++;
      continue;
    }
    if (c === "{" && /^\{\d+(,\d*)?\}/.test(pattern.slice(i))) {
      quantified();
      i = pattern.indexOf("}", i) + 1;
      if (pattern[i] === "?") i++;
      continue;
    }
    last = { group: false, risky: false };
    i++;
  }
}
