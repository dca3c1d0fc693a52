// Exhaustiveness and invariant helpers.
import { InternalError } from "./errors.js";

/** Ends every exhaustive switch: the compiler proves it unreachable, the runtime reports a bug if not. */
export function assertNever(x: never, what = "value"): never {
  throw new InternalError("UNREACHABLE", `unexpected ${what}: ${JSON.stringify(x)}`);
}

/** Throws an InternalError when an invariant does not hold. */
export function invariant(cond: unknown, message: string): asserts cond {
  if (!cond) throw new InternalError("INVARIANT", message);
}
