// s3:// configuration: the standard AWS variables, per-registration overrides, and s3:// URL parsing.
import { IoError } from "@tessera/common";

/** Static credentials; without them the SDK's default provider chain is used (env, profile, instance role). */
export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** What a caller may set; anything left out comes from the environment or the defaults below. */
export interface S3Options {
  /** An S3-compatible endpoint (MinIO, s3rver), e.g. "http://127.0.0.1:9000". Default: AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL. */
  readonly endpoint?: string;
  /** Default: AWS_REGION, AWS_DEFAULT_REGION, else "us-east-1". */
  readonly region?: string;
  /** Default: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN when both keys are set. */
  readonly credentials?: S3Credentials;
  /** Path-style addressing (http://host/bucket/key). Default: true when an endpoint is set (S3-compatible stores want it). */
  readonly forcePathStyle?: boolean;
  /** Requests in flight at once through one store. Default 16. */
  readonly maxConcurrency?: number;
  /** Tries per request (1 = no retry); only throttling, 5xx and network errors are retried. Default 4. */
  readonly maxAttempts?: number;
  /** First retry delay; each retry doubles the ceiling and sleeps a random time below it (full jitter). Default 200 ms. */
  readonly retryBaseMs?: number;
  /** Ceiling of one retry delay. Default 5,000 ms. */
  readonly retryMaxMs?: number;
  /** Time to open a connection. Default 3,000 ms. */
  readonly connectTimeoutMs?: number;
  /** Time one request (sending and receiving the whole response) may take. Default 120,000 ms. */
  readonly requestTimeoutMs?: number;
  /** Time a connection may carry no bytes at all mid-request before the try is abandoned (a hung server). Default 30,000 ms. */
  readonly idleTimeoutMs?: number;
  /** Objects larger than this are uploaded in parts (multipart upload). Default 16 MiB. */
  readonly multipartThreshold?: number;
  /** Bytes per part of a multipart upload (S3's minimum is 5 MiB, except the last part). Default 8 MiB. */
  readonly partSize?: number;
  /** Keys per ListObjectsV2 page (S3's maximum and default is 1,000). */
  readonly listPageSize?: number;
}

/** Fully resolved configuration of one S3 store. */
export interface S3Config {
  readonly endpoint: string | undefined;
  readonly region: string;
  readonly credentials: S3Credentials | undefined;
  readonly forcePathStyle: boolean;
  readonly maxConcurrency: number;
  readonly maxAttempts: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  readonly connectTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly multipartThreshold: number;
  readonly partSize: number;
  readonly listPageSize: number;
}

const MIN_PART_SIZE = 5 * 1024 * 1024;

function envCredentials(env: NodeJS.ProcessEnv): S3Credentials | undefined {
  const accessKeyId = env["AWS_ACCESS_KEY_ID"];
  const secretAccessKey = env["AWS_SECRET_ACCESS_KEY"];
  if (!accessKeyId || !secretAccessKey) return undefined;
  const sessionToken = env["AWS_SESSION_TOKEN"];
  return sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey };
}

function positive(name: string, v: number, min = 1): number {
  if (!Number.isFinite(v) || v < min) throw new IoError("IO_BAD_OPTION", `S3 option ${name} must be a number >= ${min}, got ${v}`);
  return v;
}

/** Options over environment over defaults. Reads `env` now: call it when the store is first used, not at import. */
export function resolveS3Config(opts: S3Options = {}, env: NodeJS.ProcessEnv = process.env): S3Config {
  const endpoint = opts.endpoint ?? (env["AWS_ENDPOINT_URL_S3"] || env["AWS_ENDPOINT_URL"] || undefined);
  if (endpoint !== undefined && !/^https?:\/\/[^/]+/.test(endpoint)) {
    throw new IoError("IO_BAD_OPTION", `S3 endpoint must be an http:// or https:// URL, got ${endpoint}`);
  }
  const partSize = positive("partSize", opts.partSize ?? 8 * 1024 * 1024, MIN_PART_SIZE);
  return {
    endpoint,
    region: opts.region ?? (env["AWS_REGION"] || env["AWS_DEFAULT_REGION"] || "us-east-1"),
    credentials: opts.credentials ?? envCredentials(env),
    forcePathStyle: opts.forcePathStyle ?? endpoint !== undefined,
    maxConcurrency: positive("maxConcurrency", opts.maxConcurrency ?? 16),
    maxAttempts: positive("maxAttempts", opts.maxAttempts ?? 4),
    retryBaseMs: positive("retryBaseMs", opts.retryBaseMs ?? 200, 0),
    retryMaxMs: positive("retryMaxMs", opts.retryMaxMs ?? 5_000, 0),
    connectTimeoutMs: positive("connectTimeoutMs", opts.connectTimeoutMs ?? 3_000),
    requestTimeoutMs: positive("requestTimeoutMs", opts.requestTimeoutMs ?? 120_000),
    idleTimeoutMs: positive("idleTimeoutMs", opts.idleTimeoutMs ?? 30_000),
    multipartThreshold: positive("multipartThreshold", opts.multipartThreshold ?? 16 * 1024 * 1024, partSize),
    partSize,
    listPageSize: Math.min(1000, positive("listPageSize", opts.listPageSize ?? 1000)),
  };
}

/** Bucket and key of an s3:// URL ("s3://bucket/a/b.parquet" → "bucket", "a/b.parquet"; the key may be ""). */
export interface S3Location {
  readonly bucket: string;
  readonly key: string;
}

const S3_URL = /^s3:\/\/([^/]+)(?:\/(.*))?$/i;

/** Splits an s3:// URL; throws IO_BAD_URL naming it when it has no bucket. */
export function parseS3Url(url: string): S3Location {
  const m = S3_URL.exec(url);
  if (m === null) throw new IoError("IO_BAD_URL", `not an s3:// URL with a bucket: ${url}`, { url });
  return { bucket: m[1] as string, key: m[2] ?? "" };
}

/** The canonical URL of an object. */
export function s3Url(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}
