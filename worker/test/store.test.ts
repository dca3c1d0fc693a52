// The data store and its byte accounting.
import { describe, expect, it } from "vitest";
import { MemoryStore, sizeOf } from "@tessera/worker";

function batch(n: number): object {
  const offsets = new Int32Array(n + 1);
  const bytes = new Uint8Array(3 * n);
  return {
    fields: [{ name: "v", type: "float64", nullable: true }, { name: "s", type: "utf8", nullable: false }],
    length: n,
    columns: [
      { kind: "num", type: "float64", length: n, values: new Float64Array(n), valid: new Uint8Array(n) },
      { kind: "str", type: "utf8", length: n, offsets, bytes, valid: null },
    ],
  };
}

describe("sizeOf", () => {
  it("counts a Batch as exactly the sum of its buffers' byteLengths", () => {
    expect(sizeOf(batch(100))).toBe(800 + 100 + 404 + 300);
  });

  it("counts a buffer shared by two views once, and a view by the whole buffer it keeps alive", () => {
    const buf = new ArrayBuffer(1024);
    expect(sizeOf([new Uint8Array(buf, 0, 10), new Uint8Array(buf, 10, 10)])).toBe(1024 + 16);
    expect(sizeOf(new Float64Array(buf, 8, 1))).toBe(1024);
  });

  it("estimates other values roughly", () => {
    expect(sizeOf(null)).toBe(0);
    expect(sizeOf(42)).toBe(8);
    expect(sizeOf("abcd")).toBe(24);
    const big = Array.from({ length: 100_000 }, (_, i) => i);
    expect(sizeOf(big)).toBe(16 + 800_000);
  });
});

describe("MemoryStore", () => {
  it("holds values by key and keeps the total bytes", () => {
    const s = new MemoryStore();
    expect(s.put("a", new Float64Array(10))).toBe(80);
    s.put("b", new Uint8Array(5));
    s.put("a", new Float64Array(2));
    expect([s.totalBytes, s.size, s.nbytes("a"), s.has("b")]).toEqual([21, 2, 16, true]);
    expect(s.delete("b")).toBe(true);
    expect(s.delete("b")).toBe(false);
    expect(s.totalBytes).toBe(16);
  });

  it("binds loaded values when load is called, so a later delete does not affect them", async () => {
    const s = new MemoryStore();
    s.put("a", 1);
    const loading = s.load(["a"]);
    s.delete("a");
    expect(await loading).toEqual([1]);
  });

  it("rejects a load of a key it does not hold with MISSING_DATA", async () => {
    await expect(new MemoryStore().load(["nope"])).rejects.toMatchObject({ code: "MISSING_DATA" });
  });
});
