// One error taxonomy for Tessera: every error has a stable `code` and a category saying whose fault it is.

export type ErrorCategory = "plan" | "execution" | "io" | "protocol" | "internal";

const TESSERA_ERROR = Symbol.for("tessera.error");

/** Serializable form of an error, used when errors cross threads or sockets. */
export interface ErrorInfo {
  name: string;
  code: string;
  category: ErrorCategory;
  message: string;
  details?: Record<string, unknown>;
}

/** Base of every error Tessera throws. `code` is stable across versions; messages may improve. */
export class TesseraError extends Error {
  readonly [TESSERA_ERROR] = true;
  readonly code: string;
  readonly category: ErrorCategory;
  readonly details: Record<string, unknown> | undefined;

  constructor(category: ErrorCategory, code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = "TesseraError";
    this.code = code;
    this.category = category;
    this.details = details;
  }

  toInfo(): ErrorInfo {
    const info: ErrorInfo = { name: this.name, code: this.code, category: this.category, message: this.message };
    if (this.details !== undefined) info.details = this.details;
    return info;
  }
}

/** The user's query is wrong (unknown column, type mismatch); raised before any task runs. */
export class PlanError extends TesseraError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super("plan", code, message, details);
    this.name = "PlanError";
  }
}

/** A task failed while running (bad data, a kernel limit); says which op and partition. */
export class ExecutionError extends TesseraError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super("execution", code, message, details);
    this.name = "ExecutionError";
  }
}

/** Reading or writing storage failed; the message names the URL or file. */
export class IoError extends TesseraError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super("io", code, message, details);
    this.name = "IoError";
  }
}

/** A peer broke the wire protocol; only that connection is closed. */
export class ProtocolError extends TesseraError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super("protocol", code, message, details);
    this.name = "ProtocolError";
  }
}

/** A bug in Tessera itself: an invariant did not hold. */
export class InternalError extends TesseraError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super("internal", code, message, details);
    this.name = "InternalError";
  }
}

/** True for any TesseraError, even one constructed by another copy of this module (another thread). */
export function isTesseraError(e: unknown): e is TesseraError {
  return typeof e === "object" && e !== null && (e as Record<symbol, unknown>)[TESSERA_ERROR] === true;
}

const byCategory: Record<ErrorCategory, new (code: string, message: string, details?: Record<string, unknown>) => TesseraError> = {
  plan: PlanError,
  execution: ExecutionError,
  io: IoError,
  protocol: ProtocolError,
  internal: InternalError,
};

/** Turns any thrown value into ErrorInfo for the wire. Unknown errors become internal ones. */
export function errorToInfo(e: unknown): ErrorInfo {
  if (isTesseraError(e)) return e.toInfo();
  if (e instanceof Error) return { name: "InternalError", code: "INTERNAL", category: "internal", message: e.message };
  return { name: "InternalError", code: "INTERNAL", category: "internal", message: String(e) };
}

/** Rebuilds a typed error from ErrorInfo received from another thread or process. */
export function errorFromInfo(info: ErrorInfo): TesseraError {
  const Ctor = byCategory[info.category] ?? InternalError;
  return new Ctor(info.code, info.message, info.details);
}
