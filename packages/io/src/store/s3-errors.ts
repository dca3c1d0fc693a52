// SDK and network failures of S3 requests: which to retry, and the IoError (code, URL, cause) each becomes.
import { IoError } from "@tessera/common";

/** What went wrong with one request, read off an SDK error or a Node network error. */
export interface S3Failure {
  /** HTTP status when the server answered. */
  readonly status: number | undefined;
  /** S3's error code ("NoSuchBucket", "SlowDown", ...) or the SDK's error name. */
  readonly awsCode: string | undefined;
  /** Node's network error code (ECONNREFUSED, ECONNRESET, ...) or "TimeoutError" when no answer came. */
  readonly network: string | undefined;
  readonly message: string;
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED", "ECONNRESET", "ECONNABORTED", "EPIPE", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH",
  "ENETUNREACH", "ENETDOWN", "EHOSTDOWN", "ESOCKETTIMEDOUT", "UND_ERR_SOCKET", "ERR_STREAM_PREMATURE_CLOSE",
]);
const TIMEOUT_NAMES = new Set(["TimeoutError", "RequestTimeout", "RequestTimeoutException"]);

/** Reads the parts of an error that decide retrying and reporting; never throws. */
export function describeS3Error(e: unknown): S3Failure {
  const o = (typeof e === "object" && e !== null ? e : {}) as Record<string, unknown>;
  const meta = o["$metadata"] as { httpStatusCode?: number } | undefined;
  const status = typeof meta?.httpStatusCode === "number" ? meta.httpStatusCode : undefined;
  const name = typeof o["name"] === "string" ? o["name"] : undefined;
  const code = typeof o["Code"] === "string" ? o["Code"] : typeof o["code"] === "string" ? o["code"] : undefined;
  const message = e instanceof Error ? e.message : String(e);
  if (status !== undefined) {
    const awsCode = code ?? (name !== undefined && name !== "Unknown" && name !== "Error" ? name : undefined);
    return { status, awsCode, network: undefined, message };
  }
  const network = code !== undefined && NETWORK_CODES.has(code) ? code
    : name !== undefined && TIMEOUT_NAMES.has(name) ? "TimeoutError"
    : /socket hang up|ECONNRESET|EPIPE|premature close|aborted/i.test(message) ? "ECONNRESET"
    : undefined;
  return { status: undefined, awsCode: code ?? name, network, message };
}

/**
 * Throttling (429, 503 SlowDown), other 5xx, and network errors (no answer, connection reset, timeout) are
 * worth another try; every other 4xx is the caller's fault and would fail the same way again.
 */
export function isRetryableS3Error(e: unknown): boolean {
  const f = describeS3Error(e);
  if (f.status !== undefined) return f.status === 429 || f.status >= 500;
  return f.network !== undefined;
}

export type S3Op = "list" | "head" | "get" | "put" | "delete";

/** Context for turning a failure into an IoError that names the URL. */
export interface S3ErrorContext {
  readonly op: S3Op;
  readonly url: string;
  readonly bucket: string;
  readonly endpoint: string;
  readonly attempts: number;
}

const ACCESS_CODES = new Set(["AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken", "AllAccessDisabled"]);

function cause(f: S3Failure): string {
  const parts = [f.status !== undefined ? `HTTP ${f.status}` : undefined, f.awsCode, f.message && f.message !== f.awsCode ? f.message : undefined];
  return parts.filter((p) => p !== undefined && p !== "").join(" ");
}

/** The IoError for a failed request: IO_NO_BUCKET, IO_NOT_FOUND, IO_ACCESS_DENIED, IO_BAD_RANGE, IO_UNREACHABLE, else IO_READ / IO_WRITE. */
export function s3IoError(e: unknown, ctx: S3ErrorContext): IoError {
  if (e instanceof IoError) return e;
  const f = describeS3Error(e);
  const details = { url: ctx.url, op: ctx.op, status: f.status, awsCode: f.awsCode, network: f.network, endpoint: ctx.endpoint, attempts: ctx.attempts };
  const tries = ctx.attempts > 1 ? ` after ${ctx.attempts} tries` : "";
  if (f.awsCode === "NoSuchBucket") {
    return new IoError("IO_NO_BUCKET", `no such bucket: ${ctx.bucket} (in ${ctx.url}; endpoint ${ctx.endpoint})`, details);
  }
  if (f.status === 404 || f.awsCode === "NoSuchKey" || f.awsCode === "NotFound") {
    return new IoError("IO_NOT_FOUND", `not found: ${ctx.url}`, details);
  }
  if (f.status === 403 || f.status === 401 || (f.awsCode !== undefined && ACCESS_CODES.has(f.awsCode))) {
    const why = f.awsCode === "InvalidAccessKeyId" || f.awsCode === "SignatureDoesNotMatch" || f.awsCode === "ExpiredToken"
      ? "the credentials were refused; check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY"
      : "permission denied";
    return new IoError("IO_ACCESS_DENIED", `access denied to ${ctx.url} (${ctx.op}): ${why} (${cause(f)})`, details);
  }
  if (f.status === 416 || f.awsCode === "InvalidRange") {
    return new IoError("IO_BAD_RANGE", `bad byte range of ${ctx.url}: ${cause(f)}`, details);
  }
  if (f.status === undefined && f.network !== undefined) {
    return new IoError("IO_UNREACHABLE", `cannot reach the S3 endpoint ${ctx.endpoint} for ${ctx.url}${tries}: ${f.network === "TimeoutError" ? "timed out" : f.network} (${f.message})`, details);
  }
  const kind = ctx.op === "put" || ctx.op === "delete" ? "IO_WRITE" : "IO_READ";
  const verb = ctx.op === "put" ? "write" : ctx.op === "delete" ? "delete" : ctx.op === "list" ? "list" : "read";
  return new IoError(kind, `cannot ${verb} ${ctx.url}${tries}: ${cause(f)}`, details);
}
