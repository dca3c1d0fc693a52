// The s3:// store against a real S3-protocol server (s3rver over HTTP through the real SDK): contract, paging, multipart, faults.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isTesseraError } from "@tessera/common";
import { createS3Store, readParquetMeta, registerS3, storeFor, type LazyS3Store, type S3Options } from "@tessera/io";
import { S3RVER_CREDENTIALS, startS3rver, type S3rverHandle } from "../../../test/s3/s3rver-fixture.js";
import { slowDown, startFaultProxy, type FaultProxy } from "../../../test/s3/fault-proxy.js";

let server: S3rverHandle;
let proxy: FaultProxy;
const stores: LazyS3Store[] = [];

function store(opts: S3Options = {}): LazyS3Store {
  const s = createS3Store({ endpoint: server.endpoint, credentials: S3RVER_CREDENTIALS, retryBaseMs: 10, ...opts });
  stores.push(s);
  return s;
}

/** The error `p` rejects with, as "CODE: message"; fails when it resolves. */
async function failure(p: Promise<unknown>): Promise<{ code: string; message: string; details: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    if (isTesseraError(e)) return { code: e.code, message: e.message, details: e.details ?? {} };
    throw e;
  }
  throw new Error("expected a failure");
}

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

beforeAll(async () => {
  server = await startS3rver({ buckets: ["store", "other"] });
  proxy = await startFaultProxy(server.endpoint);
});
afterAll(async () => {
  for (const s of stores) s.close();
  await proxy?.close();
  await server?.close();
});

describe("s3 store over s3rver", () => {
  it("puts, heads, gets whole and ranged, lists by prefix in order, deletes one and many", async () => {
    const s = store();
    await s.put("s3://store/c/two.bin", bytes("0123456789"));
    await s.put("s3://store/c/one.bin", bytes("abc"));
    await s.put("s3://store/c/sub/three.bin", bytes("x"));
    await s.put("s3://store/cc.bin", bytes("y"));
    expect((await s.head("s3://store/c/two.bin")).size).toBe(10);
    expect(text(await s.get("s3://store/c/two.bin"))).toBe("0123456789");
    expect(text(await s.get("s3://store/c/two.bin", { offset: 3, length: 4 }))).toBe("3456");
    expect((await s.get("s3://store/c/two.bin", { offset: 10, length: 0 })).length).toBe(0);
    expect((await s.list("s3://store/c/")).map((o) => [o.url, o.size])).toEqual([
      ["s3://store/c/one.bin", 3], ["s3://store/c/sub/three.bin", 1], ["s3://store/c/two.bin", 10],
    ]);
    expect((await s.list("s3://store/c")).map((o) => o.url)).toContain("s3://store/cc.bin");
    expect(await s.list("s3://store/nothing-here/")).toEqual([]);
    await s.delete("s3://store/c/one.bin");
    await s.delete("s3://store/c/one.bin");  // deleting a missing object is not an error
    await s.deleteMany(["s3://store/c/two.bin", "s3://store/c/sub/three.bin", "s3://store/c/never.bin"]);
    expect((await s.list("s3://store/c/")).map((o) => o.url)).toEqual([]);
  });

  it("sends a Range header for ranged reads, and a range past the end is IO_BAD_RANGE naming the URL", async () => {
    const s = store();
    await s.put("s3://store/r/x.bin", bytes("0123456789"));
    await server.reset();
    await s.get("s3://store/r/x.bin", { offset: 2, length: 5 });
    const gets = (await server.requests()).filter((r) => r.method === "GET");
    expect(gets.map((g) => [g.range, g.bytes])).toEqual([["bytes=2-6", 5]]);
    // s3rver answers "bytes=0-0" with the whole object (as servers that ignore Range do): still exactly one byte back.
    expect(text(await s.get("s3://store/r/x.bin", { offset: 0, length: 1 }))).toBe("0");
    const past = await failure(s.get("s3://store/r/x.bin", { offset: 8, length: 5 }));
    expect(past.code).toBe("IO_BAD_RANGE");
    expect(past.message).toContain("s3://store/r/x.bin");
  });

  it("lists a prefix with more keys than a page through continuation tokens", async () => {
    const s = store({ listPageSize: 2 });
    await Promise.all(["a", "b", "c", "d", "e"].map((k) => s.put(`s3://store/page/${k}`, bytes(k))));
    await server.reset();
    expect((await s.list("s3://store/page/")).map((o) => o.url.slice(-1))).toEqual(["a", "b", "c", "d", "e"]);
    const lists = (await server.requests()).filter((r) => r.method === "GET" && r.url.includes("list-type=2"));
    expect(lists.length).toBe(3);
  });

  it("uploads objects above the threshold in parts and reads them back intact", async () => {
    const s = store({ multipartThreshold: 5 * 1024 * 1024, partSize: 5 * 1024 * 1024 });
    const big = new Uint8Array(11 * 1024 * 1024 + 7);
    for (let i = 0; i < big.length; i += 4096) big[i] = (i / 4096) & 0xff;
    await server.reset();
    await s.put("s3://store/big/blob.bin", big);
    const log = await server.requests();
    expect(log.filter((r) => r.method === "PUT" && r.url.includes("partNumber=")).length).toBe(3);
    expect(log.some((r) => r.method === "POST" && r.url.includes("uploadId="))).toBe(true);
    const back = await s.get("s3://store/big/blob.bin");
    expect(back.length).toBe(big.length);
    expect(Buffer.compare(back, big)).toBe(0);
  });

  it("a multipart upload whose part fails is aborted and leaves no object", async () => {
    const s = store({ endpoint: proxy.endpoint, multipartThreshold: 5 * 1024 * 1024, partSize: 5 * 1024 * 1024 });
    proxy.reset();
    await server.reset();
    proxy.queue({ kind: "forward" }, { kind: "error", status: 400, code: "InvalidPart" });  // create, then one part refused
    const e = await failure(s.put("s3://store/big/refused.bin", new Uint8Array(11 * 1024 * 1024)));
    expect(e.code).toBe("IO_WRITE");
    expect(e.message).toContain("s3://store/big/refused.bin");
    expect(e.message).toContain("InvalidPart");
    // The abort reaches the server (s3rver does not implement it and answers 405; real S3 drops the parts).
    expect((await server.requests()).some((r) => r.method === "DELETE" && r.url.includes("uploadId="))).toBe(true);
    expect((await failure(s.head("s3://store/big/refused.bin"))).code).toBe("IO_NOT_FOUND");
  });

  it("a missing bucket is IO_NO_BUCKET naming the URL, for head, get, list and put", async () => {
    const s = store();
    for (const f of [() => s.head("s3://no-such-bucket/k.parquet"), () => s.get("s3://no-such-bucket/k.parquet"), () => s.list("s3://no-such-bucket/"), () => s.put("s3://no-such-bucket/k", bytes("x"))]) {
      const e = await failure(f());
      expect(e.code).toBe("IO_NO_BUCKET");
      expect(e.message).toContain("no-such-bucket");
    }
  });

  it("a missing object is IO_NOT_FOUND naming the URL", async () => {
    const s = store();
    for (const f of [() => s.head("s3://store/missing.bin"), () => s.get("s3://store/missing.bin")]) {
      const e = await failure(f());
      expect(e).toMatchObject({ code: "IO_NOT_FOUND" });
      expect(e.message).toContain("s3://store/missing.bin");
    }
  });

  it("refused credentials are IO_ACCESS_DENIED naming the URL and the cause, without retries", async () => {
    // s3rver knows one access key and refuses others; it does not verify SigV4 secrets, so a wrong secret passes there.
    const s = store({ credentials: { accessKeyId: "NOT-A-KEY", secretAccessKey: "wrong" } });
    await server.reset();
    for (const f of [() => s.get("s3://store/r/x.bin"), () => s.head("s3://store/r/x.bin"), () => s.put("s3://store/r/y.bin", bytes("x")), () => s.list("s3://store/")]) {
      const e = await failure(f());
      expect(e.code).toBe("IO_ACCESS_DENIED");
      expect(e.message).toContain("s3://store/");
      expect(e.message).toMatch(/credentials were refused|permission denied|InvalidAccessKeyId|403/);
    }
    expect((await server.requests()).length).toBe(4);
  });

  it("an unreachable endpoint (closed loopback port) is IO_UNREACHABLE naming endpoint and URL, after retries, within seconds", async () => {
    const closed = await startFaultProxy(server.endpoint);
    const endpoint = closed.endpoint;
    await closed.close();
    const s = store({ endpoint, maxAttempts: 3 });
    const t0 = Date.now();
    const e = await failure(s.get("s3://store/r/x.bin"));
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(e.code).toBe("IO_UNREACHABLE");
    expect(e.message).toContain(endpoint);
    expect(e.message).toContain("s3://store/r/x.bin");
    expect(e.message).toContain("ECONNREFUSED");
    expect(e.details["attempts"]).toBe(3);
  });

  it.each([
    ["an idle connection", { idleTimeoutMs: 300 }],
    ["a slow request", { requestTimeoutMs: 300 }],
  ] as const)("a server that never answers fails with IO_UNREACHABLE (timed out) instead of hanging: %s", async (_what, timeouts) => {
    const s = store({ endpoint: proxy.endpoint, maxAttempts: 2, ...timeouts });
    proxy.reset();
    proxy.queue({ kind: "hang" }, { kind: "hang" });
    const t0 = Date.now();
    const e = await failure(s.head("s3://store/r/x.bin"));
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(e.code).toBe("IO_UNREACHABLE");
    expect(e.message).toContain("timed out");
    expect(e.message).toContain("s3://store/r/x.bin");
    expect(proxy.received()).toBe(2);
  });

  it("retries throttling (503 SlowDown, 429) and 5xx with backoff, and succeeds", async () => {
    const s = store({ endpoint: proxy.endpoint, maxAttempts: 4 });
    await s.put("s3://store/retry/x.bin", bytes("hello"));
    proxy.reset();
    proxy.queue(slowDown, { kind: "error", status: 429, code: "TooManyRequests" }, { kind: "error", status: 500, code: "InternalError" });
    expect(text(await s.get("s3://store/retry/x.bin"))).toBe("hello");
    expect(proxy.received()).toBe(4);
  });

  it("gives up on throttling after maxAttempts and reports the tries", async () => {
    const s = store({ endpoint: proxy.endpoint, maxAttempts: 2 });
    proxy.reset();
    proxy.queue(slowDown, slowDown, slowDown);
    const e = await failure(s.get("s3://store/retry/x.bin"));
    expect(e.code).toBe("IO_READ");
    expect(e.message).toMatch(/s3:\/\/store\/retry\/x\.bin after 2 tries: HTTP 503 SlowDown/);
    expect(proxy.received()).toBe(2);
  });

  it("never retries other 4xx answers", async () => {
    const s = store({ endpoint: proxy.endpoint, maxAttempts: 4 });
    proxy.reset();
    proxy.queue({ kind: "error", status: 400, code: "InvalidRequest" });
    const e = await failure(s.get("s3://store/retry/x.bin"));
    expect(e.code).toBe("IO_READ");
    expect(e.message).toContain("InvalidRequest");
    expect(proxy.received()).toBe(1);
  });

  it("keeps at most maxConcurrency requests in flight", async () => {
    const slow = await startFaultProxy(server.endpoint, { delayMs: 30 });
    try {
      const s = store({ endpoint: slow.endpoint, maxConcurrency: 3 });
      await s.put("s3://store/conc/x.bin", bytes("0123456789"));
      slow.reset();
      const got = await Promise.all(Array.from({ length: 12 }, (_, i) => s.get("s3://store/conc/x.bin", { offset: i % 10, length: 1 })));
      expect(got.map(text).join("")).toBe("012345678901");
      expect(slow.received()).toBe(12);
      expect(slow.maxInFlight()).toBeLessThanOrEqual(3);
      expect(slow.maxInFlight()).toBeGreaterThan(1);
    } finally {
      await slow.close();
    }
  });

  it("an object that is not Parquet is IO_BAD_PARQUET naming the s3:// URL", async () => {
    registerS3({ endpoint: server.endpoint, credentials: S3RVER_CREDENTIALS });
    await storeFor("s3://store/").put("s3://store/not/data.parquet", bytes("this is plain text, not a Parquet file at all"));
    const e = await failure(readParquetMeta("s3://store/not/data.parquet"));
    expect(e.code).toBe("IO_BAD_PARQUET");
    expect(e.message).toContain("s3://store/not/data.parquet");
    expect(e.message).toContain("bad magic");
  });
});
