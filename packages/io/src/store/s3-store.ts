// ObjectStore over S3 and S3-compatible stores (MinIO, s3rver) through @aws-sdk/client-s3; loaded lazily (see s3-lazy-store.ts).
import {
  DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand, ListObjectsV2Command,
  PutObjectCommand, S3Client,
} from "@aws-sdk/client-s3";
import { IoError, isTesseraError } from "@tessera/common";
import type { ByteRange, ObjectInfo, ObjectStore } from "./object-store.js";
import { checkRange } from "./range.js";
import type { S3Config } from "./s3-config.js";
import { parseS3Url, s3Url } from "./s3-config.js";
import { isRetryableS3Error, s3IoError, type S3Op } from "./s3-errors.js";
import type { S3Attempt } from "./s3-attempt.js";
import { putMultipart } from "./s3-multipart.js";
import { RetriesExhausted, withRetry } from "./s3-retry.js";
import { Semaphore } from "./s3-semaphore.js";

/** Keys per DeleteObjects request (S3's limit). */
const DELETE_BATCH = 1000;

/** A body that ended early: the connection broke mid-transfer, so it is retried like one. */
function shortRead(got: number, expected: number): Error {
  return Object.assign(new Error(`the response body ended after ${got} of ${expected} bytes`), { code: "ECONNRESET" });
}

function timeoutError(ms: number): Error {
  const e = new Error(`no complete answer within ${ms} ms`);
  e.name = "TimeoutError";
  return e;
}

/**
 * Every request takes a slot of a semaphore (maxConcurrency in flight), is retried with backoff on throttling,
 * 5xx and network errors (never on other 4xx), and is bounded in time (connect timeout, idle-connection timeout,
 * whole-request timeout including the body). Failures are IoErrors naming the URL; see s3-errors.ts for the codes.
 */
export class S3Store implements ObjectStore {
  readonly config: S3Config;
  /** The endpoint as shown in error messages. */
  readonly endpoint: string;
  private readonly client: S3Client;
  private readonly slots: Semaphore;

  constructor(config: S3Config) {
    this.config = config;
    this.endpoint = config.endpoint ?? `https://s3.${config.region}.amazonaws.com`;
    this.slots = new Semaphore(config.maxConcurrency);
    this.client = new S3Client({
      region: config.region,
      ...(config.endpoint !== undefined ? { endpoint: config.endpoint } : {}),
      ...(config.credentials !== undefined ? { credentials: config.credentials } : {}),
      forcePathStyle: config.forcePathStyle,
      maxAttempts: 1,  // retries are ours (s3-retry.ts), so throttling, jitter and the 4xx rule are in one place
      // S3-compatible stores differ in checksum support; send and verify checksums only where S3 requires them.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      requestHandler: {
        connectionTimeout: config.connectTimeoutMs,
        requestTimeout: config.requestTimeoutMs,
        throwOnRequestTimeout: true,
        socketTimeout: config.idleTimeoutMs,
        httpAgent: { keepAlive: true, maxSockets: config.maxConcurrency },
        httpsAgent: { keepAlive: true, maxSockets: config.maxConcurrency },
      },
    });
  }

  /** Runs one request with a slot, a deadline per attempt and retries; failures become IoErrors naming `url`. */
  async request<T>(op: S3Op, url: string, f: S3Attempt<T>): Promise<T> {
    const { bucket } = parseS3Url(url);
    const policy = {
      maxAttempts: this.config.maxAttempts,
      baseMs: this.config.retryBaseMs,
      maxMs: this.config.retryMaxMs,
      retryable: isRetryableS3Error,
    };
    try {
      return await withRetry(policy, () => this.slots.run(() => this.attempt(f)));
    } catch (e) {
      const last = e instanceof RetriesExhausted ? e.last : e;
      const attempts = e instanceof RetriesExhausted ? e.attempts : 1;
      throw s3IoError(last, { op, url, bucket, endpoint: this.endpoint, attempts });
    }
  }

  private async attempt<T>(f: S3Attempt<T>): Promise<T> {
    const ms = this.config.requestTimeoutMs;
    const ac = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; ac.abort(); }, ms);
    try {
      return await f(this.client, ac.signal);
    } catch (e) {
      throw timedOut ? timeoutError(ms) : e;
    } finally {
      clearTimeout(timer);
    }
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const { bucket, key } = parseS3Url(prefix);
    const out: ObjectInfo[] = [];
    let token: string | undefined;
    do {
      const page = await this.request("list", prefix, (c, abortSignal) =>
        c.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key, ContinuationToken: token, MaxKeys: this.config.listPageSize }), { abortSignal }));
      for (const o of page.Contents ?? []) {
        if (o.Key === undefined) continue;
        out.push({ url: s3Url(bucket, o.Key), size: o.Size ?? 0, ...(o.LastModified ? { mtimeMs: o.LastModified.getTime() } : {}) });
      }
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    // S3 orders keys by UTF-8 bytes; the interface promises JavaScript string order.
    return out.sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  }

  async head(url: string): Promise<ObjectInfo> {
    const { bucket, key } = parseS3Url(url);
    try {
      const r = await this.request("head", url, (c, abortSignal) => c.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal }));
      return { url: s3Url(bucket, key), size: r.ContentLength ?? 0, ...(r.LastModified ? { mtimeMs: r.LastModified.getTime() } : {}) };
    } catch (e) {
      // HEAD answers carry no body, so a missing bucket looks like a missing key: ask the bucket.
      if (isTesseraError(e) && e.code === "IO_NOT_FOUND" && !(await this.bucketExists(bucket, url))) {
        throw new IoError("IO_NO_BUCKET", `no such bucket: ${bucket} (in ${url}; endpoint ${this.endpoint})`, { url, bucket, endpoint: this.endpoint });
      }
      throw e;
    }
  }

  private async bucketExists(bucket: string, url: string): Promise<boolean> {
    try {
      await this.request("head", url, (c, abortSignal) => c.send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal }));
      return true;
    } catch (e) {
      if (isTesseraError(e) && (e.code === "IO_NOT_FOUND" || e.code === "IO_NO_BUCKET")) return false;
      return true;  // unknown (e.g. no permission to head the bucket): report the object as missing
    }
  }

  async get(url: string, range?: ByteRange): Promise<Uint8Array> {
    const { bucket, key } = parseS3Url(url);
    if (range !== undefined) {
      if (!Number.isSafeInteger(range.offset) || !Number.isSafeInteger(range.length) || range.offset < 0 || range.length < 0) {
        throw new IoError("IO_BAD_RANGE", `bad byte range of ${url}: offset ${range.offset}, length ${range.length}`, { url });
      }
      if (range.length === 0) return new Uint8Array(0);  // HTTP cannot ask for zero bytes
    }
    const header = range === undefined ? undefined : `bytes=${range.offset}-${range.offset + range.length - 1}`;
    const { bytes, total } = await this.request("get", url, async (c, abortSignal) => {
      const r = await c.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: header }), { abortSignal });
      if (r.Body === undefined) return { bytes: new Uint8Array(0), total: 0 };
      // Reading the body is part of the attempt: a connection dropped mid-body is retried like any network error.
      const body = await r.Body.transformToByteArray();
      // "bytes start-end/total"; without it the server sent the whole object (some ignore Range, s3rver does for "bytes=0-0").
      const m = /^bytes (\d+)-\d+\/(\d+)$/.exec(r.ContentRange ?? "");
      const first = m !== null ? Number(m[1]) : 0;
      const total = m !== null ? Number(m[2]) : body.length;
      if (range === undefined) {
        if (r.ContentLength !== undefined && body.length !== r.ContentLength) throw shortRead(body.length, r.ContentLength);
        return { bytes: body, total };
      }
      const expected = Math.min(range.length, Math.max(0, total - range.offset));
      const from = range.offset - first;
      if (from < 0 || body.length < from + expected) throw shortRead(body.length, from + expected);
      return { bytes: from === 0 && body.length === expected ? body : body.subarray(from, from + expected), total };
    });
    // S3 answers a range reaching past the end with the bytes that exist; the interface wants all or an error.
    if (range !== undefined && bytes.length !== range.length) checkRange(url, total, range.offset, range.length);
    return bytes;
  }

  async put(url: string, bytes: Uint8Array): Promise<void> {
    const { bucket, key } = parseS3Url(url);
    if (key === "" || key.endsWith("/")) throw new IoError("IO_BAD_URL", `cannot write ${url}: an object key must not be empty or end with "/"`, { url });
    if (bytes.length > this.config.multipartThreshold) {
      await putMultipart((f) => this.request("put", url, f), { bucket, key, url }, bytes, this.config.partSize);
      return;
    }
    await this.request("put", url, (c, abortSignal) =>
      c.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentLength: bytes.length }), { abortSignal }));
  }

  async delete(url: string): Promise<void> {
    const { bucket, key } = parseS3Url(url);
    await this.request("delete", url, (c, abortSignal) => c.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }), { abortSignal }));
  }

  /** Deletes many objects with one DeleteObjects request per bucket and 1,000 keys; missing objects are not errors. */
  async deleteMany(urls: readonly string[]): Promise<void> {
    const byBucket = new Map<string, string[]>();
    for (const url of urls) {
      const { bucket, key } = parseS3Url(url);
      const keys = byBucket.get(bucket);
      if (keys === undefined) byBucket.set(bucket, [key]);
      else keys.push(key);
    }
    const batches: { bucket: string; keys: string[] }[] = [];
    for (const [bucket, keys] of byBucket) {
      for (let i = 0; i < keys.length; i += DELETE_BATCH) batches.push({ bucket, keys: keys.slice(i, i + DELETE_BATCH) });
    }
    await Promise.all(batches.map(async ({ bucket, keys }) => {
      const first = s3Url(bucket, keys[0] as string);
      const r = await this.request("delete", first, (c, abortSignal) => c.send(new DeleteObjectsCommand({
        Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true },
      }), { abortSignal }));
      const failed = (r.Errors ?? []).filter((x) => x.Code !== "NoSuchKey");
      if (failed.length > 0) {
        const f = failed[0];
        const url = s3Url(bucket, f?.Key ?? "");
        throw new IoError("IO_WRITE", `cannot delete ${url}${failed.length > 1 ? ` and ${failed.length - 1} more` : ""}: ${f?.Code ?? "error"} ${f?.Message ?? ""}`.trim(), { url });
      }
    }));
  }

  /** Closes the client's connections (idle sockets would otherwise linger until they time out). */
  destroy(): void {
    this.client.destroy();
  }
}
