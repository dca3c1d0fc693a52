// Names from a fixed set (types, functions, options): checked where untyped callers can pass anything, listing the choices.
import { PlanError } from "./errors.js";

/**
 * Returns `value` when it is one of `choices`; otherwise throws PlanError `code` saying what was wrong and listing
 * every valid choice, e.g. `unknown cast type "timestamp_ms"; valid types: null, bool, int8, ...`.
 */
export function checkChoice<T extends string | boolean | number>(code: string, what: string, value: unknown, choices: readonly T[]): T {
  if ((choices as readonly unknown[]).includes(value)) return value as T;
  const shown = typeof value === "string" ? `"${value}"` : value === undefined ? "undefined" : JSON.stringify(value) ?? String(value);
  throw new PlanError(code, `unknown ${what} ${shown}; valid choices: ${choices.join(", ")}`, { got: typeof value === "string" ? value : String(value), choices: [...choices] });
}
