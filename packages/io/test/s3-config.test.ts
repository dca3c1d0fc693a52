// s3:// configuration from the environment and options, and which failures are retried with what backoff.
import { describe, expect, it } from "vitest";
import { backoffMs, isRetryableS3Error, parseS3Url, resolveS3Config, withRetry } from "@tessera/io";

describe("s3 configuration", () => {
  it("reads the standard AWS variables, defaults the region, and uses path-style addressing with an endpoint", () => {
    const c = resolveS3Config({}, { AWS_ACCESS_KEY_ID: "k", AWS_SECRET_ACCESS_KEY: "s", AWS_ENDPOINT_URL: "http://127.0.0.1:9000" });
    expect(c).toMatchObject({ region: "us-east-1", endpoint: "http://127.0.0.1:9000", forcePathStyle: true, credentials: { accessKeyId: "k", secretAccessKey: "s" } });
    expect(c.maxConcurrency).toBe(16);
    const aws = resolveS3Config({}, { AWS_REGION: "eu-west-3" });
    expect(aws).toMatchObject({ region: "eu-west-3", endpoint: undefined, forcePathStyle: false, credentials: undefined });
  });

  it("options override the environment", () => {
    const c = resolveS3Config({ endpoint: "https://minio.local", region: "x", forcePathStyle: false, credentials: { accessKeyId: "a", secretAccessKey: "b" } },
      { AWS_ENDPOINT_URL: "http://elsewhere", AWS_REGION: "y", AWS_ACCESS_KEY_ID: "k", AWS_SECRET_ACCESS_KEY: "s" });
    expect(c).toMatchObject({ endpoint: "https://minio.local", region: "x", forcePathStyle: false, credentials: { accessKeyId: "a" } });
  });

  it("rejects bad options with IO_BAD_OPTION", () => {
    expect(() => resolveS3Config({ endpoint: "127.0.0.1:9000" }, {})).toThrow(/S3 endpoint must be an http/);
    expect(() => resolveS3Config({ partSize: 1024 }, {})).toThrow(/partSize must be a number >= 5242880/);
    expect(() => resolveS3Config({ maxConcurrency: 0 }, {})).toThrow(/maxConcurrency/);
  });

  it("parses s3:// URLs into bucket and key", () => {
    expect(parseS3Url("s3://b/a/c.parquet")).toEqual({ bucket: "b", key: "a/c.parquet" });
    expect(parseS3Url("s3://b")).toEqual({ bucket: "b", key: "" });
    expect(() => parseS3Url("s3:///k")).toThrow(/not an s3:\/\/ URL with a bucket/);
  });
});

describe("s3 retries", () => {
  const http = (status: number, name = "Err") => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
  const net = (code: string) => Object.assign(new Error(`connect ${code}`), { code });

  it("retries throttling, 5xx and network errors, never other 4xx", () => {
    for (const e of [http(503, "SlowDown"), http(429), http(500), http(502), net("ECONNRESET"), net("ECONNREFUSED"), Object.assign(new Error("t"), { name: "TimeoutError" })]) {
      expect(isRetryableS3Error(e), String(e)).toBe(true);
    }
    for (const e of [http(400), http(403, "AccessDenied"), http(404, "NoSuchKey"), http(416), new Error("bug")]) {
      expect(isRetryableS3Error(e), String(e)).toBe(false);
    }
  });

  it("backs off exponentially with full jitter, capped", () => {
    const policy = { maxAttempts: 10, baseMs: 100, maxMs: 1000, retryable: () => true };
    expect([1, 2, 3, 4, 5].map((a) => backoffMs({ ...policy, random: () => 0.999 }, a))).toEqual([99, 199, 399, 799, 999]);
    expect(backoffMs({ ...policy, random: () => 0 }, 3)).toBe(0);
  });

  it("stops at maxAttempts and at the first error that is not retryable", async () => {
    let calls = 0;
    const policy = { maxAttempts: 3, baseMs: 1, maxMs: 1, retryable: (e: unknown) => (e as Error).message === "again" };
    await expect(withRetry(policy, async () => { calls++; throw new Error("again"); })).rejects.toMatchObject({ attempts: 3 });
    expect(calls).toBe(3);
    calls = 0;
    await expect(withRetry(policy, async () => { calls++; throw new Error("no"); })).rejects.toMatchObject({ attempts: 1 });
    expect(calls).toBe(1);
    expect(await withRetry(policy, async (n) => { if (n < 3) throw new Error("again"); return n; })).toBe(3);
  });
});
