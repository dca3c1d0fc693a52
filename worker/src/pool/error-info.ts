// Errors as data for crossing threads: ErrorInfo, plus the stack when the error is a bug rather than a TesseraError.
import { errorToInfo } from "@tessera/common";
import type { ErrorInfo } from "@tessera/common";

export function errorInfoOf(e: unknown): ErrorInfo {
  const info = errorToInfo(e);
  if (info.category === "internal" && e instanceof Error && e.stack !== undefined) info.details = { ...info.details, stack: e.stack };
  return info;
}
