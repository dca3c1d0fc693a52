// The spilling store: LRU spilling past the target, exact read-back of Batches, splits and plain values, cleanup.
import { existsSync, readdirSync } from "node:fs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SpillingStore, decodeSpill, encodeSpill } from "@tessera/worker";
import { strColumnFromStrings } from "@tessera/kernels";
import type { Batch, DictColumn } from "@tessera/kernels";

function batch(n: number, seed = 1): Batch {
  const v = Float64Array.from({ length: n }, (_, i) => i * seed + 0.5);
  const valid = Uint8Array.from({ length: n }, (_, i) => (i % 7 === 3 ? 0 : 1));
  const big = BigInt64Array.from({ length: n }, (_, i) => BigInt(i) * 1_000_000_007n);
  const flag = Uint8Array.from({ length: n }, (_, i) => i % 2);
  const s = strColumnFromStrings(Array.from({ length: n }, (_, i) => `s${i % 13}`));
  const dict: DictColumn = {
    kind: "dict", type: "utf8", length: n, indices: Int32Array.from({ length: n }, (_, i) => i % 3),
    dict: strColumnFromStrings(["red", "green", "blue"]), valid: null,
  };
  return {
    fields: [
      { name: "v", type: "float64", nullable: true }, { name: "big", type: "int64", nullable: false },
      { name: "flag", type: "bool", nullable: false }, { name: "s", type: "utf8", nullable: false },
      { name: "d", type: "utf8", nullable: false },
    ],
    length: n,
    columns: [
      { kind: "num", type: "float64", length: n, values: v, valid },
      { kind: "num", type: "int64", length: n, values: big, valid: null },
      { kind: "num", type: "bool", length: n, values: flag, valid: null },
      s,
      dict,
    ],
  };
}

const dirs: string[] = [];
function spillParent(): string {
  const d = mkdtempSync(join(tmpdir(), "tessera-spill-test-"));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** 400 bytes each (sizeOf a Float64Array(50)). */
const f64 = (x: number): Float64Array => new Float64Array(50).fill(x);

describe("spill codec", () => {
  it("reads back a Batch, a split (array of Batches) and plain values exactly", () => {
    const b = batch(100);
    expect(decodeSpill(encodeSpill(b))).toEqual(b);
    const split = [batch(10, 2), batch(0, 3), batch(33, 4)];
    expect(decodeSpill(encodeSpill(split))).toEqual(split);
    const plain = { rows: [1, 2.5, null], name: "x", nested: { ok: true }, big: 12n, arr: new Int32Array([1, 2]) };
    expect(decodeSpill(encodeSpill(plain))).toEqual(plain);
    expect(decodeSpill(encodeSpill(null))).toBeNull();
    expect(() => decodeSpill(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]))).toThrow(/spill file/);
  });

  it("falls back to V8 serialization for a batch Arrow cannot encode, and a column-less batch", () => {
    const odd = { fields: [{ name: "x", type: "no-such-type", nullable: false }], length: 2, columns: [{ kind: "num", type: "no-such-type", length: 2, values: new Float64Array([1, 2]), valid: null }] };
    expect(decodeSpill(encodeSpill(odd))).toEqual(odd);
    const empty = { fields: [], columns: [], length: 7 };
    expect(decodeSpill(encodeSpill(empty))).toEqual(empty);
  });
});

describe("SpillingStore", () => {
  it("spills least-recently-used values past the target and counts where every byte is", () => {
    const s = new SpillingStore({ memoryLimit: 1000, spillDir: spillParent(), workerId: "w1" });
    expect(s.put("a", f64(1))).toBe(400);
    expect([s.memoryBytes, s.spilledBytes]).toEqual([400, 0]);
    s.put("b", f64(2));
    expect([s.isSpilled("a"), s.isSpilled("b"), s.memoryBytes, s.spilledBytes, s.totalBytes]).toEqual([true, false, 400, 400, 800]);
    s.put("c", f64(3));
    expect(["a", "b", "c"].map((k) => s.isSpilled(k))).toEqual([true, true, false]);
    expect([s.memoryBytes, s.spilledBytes, s.spillWrites]).toEqual([400, 800, 2]);
    expect(readdirSync(s.directory as string)).toHaveLength(2);
  });

  it("reads spilled values back identical, in memory again and most recently used", async () => {
    const s = new SpillingStore({ memoryLimit: 1000, spillDir: spillParent() });
    const b = batch(20);
    s.put("b", b);
    const nb = s.nbytes("b") as number;
    s.put("x", new Uint8Array(900));
    expect(s.isSpilled("b")).toBe(true);
    expect(s.isSpilled("x")).toBe(true);
    const [back] = await s.load(["b"]);
    expect(back).toEqual(b);
    expect([s.isSpilled("b"), s.memoryBytes, s.spilledBytes]).toEqual([false, nb, 900]);
    // Accounted as the same bytes wherever it lives.
    expect(s.nbytes("b")).toBe(nb);
  });

  it("evicts in least-recently-used order: a read refreshes a value", async () => {
    const s = new SpillingStore({ memoryLimit: 1000, target: 0.9, spillDir: spillParent() });
    s.put("a", f64(1));
    s.put("b", f64(2));
    await s.load(["a"]);
    s.put("c", f64(3));
    expect(["a", "b", "c"].map((k) => s.isSpilled(k))).toEqual([false, true, false]);
    await s.load(["b"]);
    expect(["a", "b", "c"].map((k) => s.isSpilled(k))).toEqual([true, false, false]);
    expect(await s.load(["a", "b", "c"])).toEqual([f64(1), f64(2), f64(3)]);
  });

  it("deletes a key's spill file, and close removes the spill directory", async () => {
    const s = new SpillingStore({ memoryLimit: 1000, spillDir: spillParent() });
    s.put("a", f64(1));
    s.put("b", f64(2));
    const dir = s.directory as string;
    expect(readdirSync(dir)).toHaveLength(1);
    expect(s.delete("a")).toBe(true);
    expect(readdirSync(dir)).toHaveLength(0);
    expect([s.totalBytes, s.spilledBytes, s.has("a")]).toEqual([400, 0, false]);
    await expect(s.load(["a"])).rejects.toMatchObject({ code: "MISSING_DATA" });
    s.put("c", f64(3));
    expect(readdirSync(dir)).toHaveLength(1);
    await s.close();
    expect(existsSync(dir)).toBe(false);
    expect(s.size).toBe(0);
  });

  it("keeps a value it cannot write in memory and spills the next least recently used instead", () => {
    const s = new SpillingStore({ memoryLimit: 1000, spillDir: spillParent() });
    s.put("fn", { f: () => 1, pad: new Uint8Array(300) }); // V8 cannot serialize a function
    s.put("a", f64(1));
    expect([s.isSpilled("fn"), s.isSpilled("a"), s.memoryBytes]).toEqual([false, true, s.nbytes("fn")]);
    expect(s.lastSpillError).not.toBeNull();
  });

  it("never spills with target false or an infinite limit", () => {
    const off = new SpillingStore({ memoryLimit: 100, target: false });
    off.put("a", f64(1));
    const inf = new SpillingStore({ memoryLimit: Number.POSITIVE_INFINITY });
    inf.put("a", f64(1));
    expect([off.spilledBytes, inf.spilledBytes, off.directory, inf.directory]).toEqual([0, 0, null, null]);
  });
});
