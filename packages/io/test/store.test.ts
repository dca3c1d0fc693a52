// URL normalization, the file:// and memory:// stores (one contract for both) and the scheme registry.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isTesseraError } from "@tessera/common";
import {
  clearMemoryStore, normalizeUrl, registerObjectStore, schemeOf, storeFor, MemoryStore, type ObjectStore,
} from "@tessera/io";
import { tempDir } from "./helpers.js";

const { dir, cleanup } = tempDir();
afterAll(cleanup);

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (isTesseraError(e)) return `${e.code}: ${e.message}`;
    throw e;
  }
  return "resolved";
}

describe("normalizeUrl", () => {
  it("makes plain and file:// paths absolute and leaves other schemes alone", () => {
    expect(normalizeUrl("data/x.csv")).toBe(path.resolve("data/x.csv"));
    expect(normalizeUrl("file:///tmp/a%20b/x.parquet")).toBe("/tmp/a b/x.parquet");
    expect(normalizeUrl("/tmp/dir/")).toBe("/tmp/dir/");
    expect(normalizeUrl("memory://bucket/k")).toBe("memory://bucket/k");
    expect(normalizeUrl("s3://bucket/k")).toBe("s3://bucket/k");
    expect(normalizeUrl(normalizeUrl("a/../b"))).toBe(path.resolve("b"));
    expect(schemeOf("S3://b/k")).toBe("s3");
    expect(schemeOf("/x")).toBe("file");
  });
});

function storeContract(name: string, store: ObjectStore, root: string): void {
  describe(`${name} store`, () => {
    it("puts, heads, gets whole and ranged, lists by prefix sorted, deletes", async () => {
      const bytes = new TextEncoder().encode("0123456789");
      await store.put(`${root}/b/two.bin`, bytes);
      await store.put(`${root}/a/one.bin`, bytes.subarray(0, 3));
      await store.put(`${root}/a/sub/deep.bin`, bytes.subarray(0, 1));
      bytes[0] = 0;  // the store must not alias the caller's bytes
      expect((await store.head(`${root}/b/two.bin`)).size).toBe(10);
      expect(new TextDecoder().decode(await store.get(`${root}/b/two.bin`))).toBe("0123456789");
      expect(new TextDecoder().decode(await store.get(`${root}/b/two.bin`, { offset: 7, length: 3 }))).toBe("789");
      expect((await store.get(`${root}/b/two.bin`, { offset: 10, length: 0 })).length).toBe(0);
      const listed = (await store.list(`${root}/a`)).map((o) => o.url);
      expect(listed).toEqual([`${root}/a/one.bin`, `${root}/a/sub/deep.bin`]);
      expect((await store.list(`${root}/`)).map((o) => o.size)).toEqual([3, 1, 10]);
      expect(await store.list(`${root}/nothing/`)).toEqual([]);
      await store.delete(`${root}/a/one.bin`);
      await store.delete(`${root}/a/one.bin`);  // deleting twice is fine
      expect(await codeOf(store.head(`${root}/a/one.bin`))).toMatch(/^IO_NOT_FOUND: .*a\/one\.bin/);
    });

    it("rejects missing objects and ranges outside the object, naming the URL", async () => {
      await store.put(`${root}/r.bin`, new Uint8Array(4));
      expect(await codeOf(store.get(`${root}/missing.bin`))).toMatch(/^IO_NOT_FOUND: not found: .*missing\.bin/);
      expect(await codeOf(store.get(`${root}/r.bin`, { offset: 2, length: 3 }))).toMatch(/^IO_BAD_RANGE: .*r\.bin.*offset 2, length 3, object size 4/);
      expect(await codeOf(store.get(`${root}/r.bin`, { offset: -1, length: 1 }))).toMatch(/^IO_BAD_RANGE/);
    });
  });
}

storeContract("file", storeFor(dir), dir);
storeContract("memory", storeFor("memory://"), "memory://store-test");

describe("file store specifics", () => {
  it("accepts file:// URLs and leaves no temporary files after put", async () => {
    const store = storeFor("file://");
    await store.put(`file://${dir}/fs/x.txt`, new TextEncoder().encode("hi"));
    expect(readdirSync(path.join(dir, "fs"))).toEqual(["x.txt"]);
    expect((await store.head(path.join(dir, "fs/x.txt"))).url).toBe(path.join(dir, "fs/x.txt"));
  });

  it("reads a range into a buffer it is given, returning a view of it", async () => {
    const store = storeFor("file://");
    const file = path.join(dir, "fs/into.bin");
    await store.put(file, Uint8Array.from({ length: 100 }, (_, i) => i));
    const into = new Uint8Array(64).fill(0xee);
    const got = await store.get(file, { offset: 10, length: 20 }, into);
    expect(got.buffer).toBe(into.buffer);
    expect(Array.from(got)).toEqual(Array.from({ length: 20 }, (_, i) => 10 + i));
    expect(into[20]).toBe(0xee);
    const small = await store.get(file, { offset: 0, length: 80 }, into);  // too small to hold the range: a buffer of its own
    expect(small.buffer).not.toBe(into.buffer);
    expect(small.length).toBe(80);
  });

  it("closes every descriptor it opens, for reads that fail as well, with many gets in flight at once", async () => {
    const store = storeFor("file://");
    const file = path.join(dir, "fs/many.bin");
    await store.put(file, Uint8Array.from({ length: 4096 }, (_, i) => i & 0xff));
    mkdirSync(path.join(dir, "fs/sub"), { recursive: true });
    const open = (): number => readdirSync("/proc/self/fd").length;
    const before = open();
    const results = await Promise.allSettled(Array.from({ length: 300 }, (_, k) => {
      if (k % 3 === 1) return store.get(file, { offset: 4000, length: 200 }); // past the end: refused after opening
      if (k % 3 === 2) return store.get(path.join(dir, "fs/sub")); // a directory: opens, then the read fails
      return store.get(file, { offset: k, length: 100 });
    }));
    results.forEach((r, k) => {
      if (k % 3 === 0) {
        expect(r.status).toBe("fulfilled");
        expect(Array.from((r as PromiseFulfilledResult<Uint8Array>).value.subarray(0, 3))).toEqual([k & 0xff, (k + 1) & 0xff, (k + 2) & 0xff]);
      } else {
        expect(r.status).toBe("rejected");
        expect(String((r as PromiseRejectedResult).reason.message)).toContain(k % 3 === 1 ? "many.bin" : "fs/sub");
      }
    });
    expect(open()).toBe(before);
  });

  it("treats a directory as not an object", async () => {
    mkdirSync(path.join(dir, "adir"), { recursive: true });
    writeFileSync(path.join(dir, "adir/f"), "x");
    expect(await codeOf(storeFor(dir).head(path.join(dir, "adir")))).toMatch(/^IO_NOT_FOUND/);
  });
});

describe("store registry", () => {
  it("serves registered schemes, creating lazy stores once, and rejects unknown ones", async () => {
    let made = 0;
    registerObjectStore("lazytest", () => { made++; return new MemoryStore(); });
    expect(made).toBe(0);
    const a = storeFor("lazytest://x"), b = storeFor("lazytest://y");
    expect(a).toBe(b);
    expect(made).toBe(1);
    expect(() => storeFor("nosuch://bucket/key")).toThrow(/no object store for nosuch:\/\/ \(in nosuch:\/\/bucket\/key\)/);
  });

  it("clearMemoryStore removes objects by prefix", async () => {
    const m = storeFor("memory://");
    await m.put("memory://clear/a", new Uint8Array(1));
    await m.put("memory://keep/a", new Uint8Array(1));
    clearMemoryStore("memory://clear/");
    expect((await m.list("memory://clear/")).length).toBe(0);
    expect((await m.list("memory://keep/")).length).toBe(1);
    expect(existsSync(dir)).toBe(true);
  });
});
