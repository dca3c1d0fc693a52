// prepareTransfer: which buffers a thread's result moves, which it compacts, which it leaves alone.
import { describe, expect, it } from "vitest";
import { prepareTransfer, shareLarge, SHARE_MIN_BYTES } from "@tessera/worker";

describe("prepareTransfer", () => {
  it("moves every buffer of a Batch and leaves the value as is", () => {
    const values = new Float64Array(4);
    const valid = new Uint8Array(4);
    const batch = { fields: [{ name: "x", type: "float64", nullable: true }], length: 4, columns: [{ kind: "num", type: "float64", length: 4, values, valid }] };
    const p = prepareTransfer(batch);
    expect(p.value).toBe(batch);
    expect(p.transfer).toEqual([values.buffer, valid.buffer]);
  });

  it("moves a buffer shared by several views once", () => {
    const buf = new ArrayBuffer(64);
    const p = prepareTransfer([new Int32Array(buf, 0, 8), new Int32Array(buf, 32, 8)]);
    expect(p.transfer).toEqual([buf]);
  });

  it("copies a small window of a large buffer to an exact-size buffer instead of moving the large one", () => {
    const big = new Float64Array(1000);
    big[10] = 42;
    const window = big.subarray(10, 12);
    const value = { col: window, n: 2 };
    const p = prepareTransfer(value);
    const out = p.value as { col: Float64Array; n: number };
    expect(out).not.toBe(value);
    expect(out.col).toBeInstanceOf(Float64Array);
    expect([...out.col]).toEqual([42, 0]);
    expect(out.col.buffer.byteLength).toBe(16);
    expect(p.transfer).toEqual([out.col.buffer]);
    expect(value.col).toBe(window);
  });

  it("never moves SharedArrayBuffers", () => {
    const shared = new Float64Array(new SharedArrayBuffer(32));
    expect(prepareTransfer({ shared }).transfer).toEqual([]);
  });

  it("leaves plain data alone", () => {
    const v = { a: 1, b: ["x", null], c: { d: true } };
    expect(prepareTransfer(v)).toEqual({ value: v, transfer: [] });
  });
});

describe("shareLarge", () => {
  it("copies a large Batch's arrays into shared memory, keeping views that shared a buffer on one", () => {
    const n = SHARE_MIN_BYTES;
    const values = Float64Array.from({ length: n }, (_, i) => i / 3);
    const arena = new Int32Array(2 * n);
    arena[n + 5] = 7;
    const indices = arena.subarray(0, n);
    const other = arena.subarray(n);
    const batch = { fields: [], length: n, columns: [{ kind: "num", values }, { kind: "dict", indices, dict: { offsets: other } }] };
    const out = shareLarge(batch) as typeof batch;
    expect(out).not.toBe(batch);
    const v = out.columns[0]!.values as Float64Array;
    const i = (out.columns[1] as { indices: Int32Array }).indices;
    const o = (out.columns[1] as { dict: { offsets: Int32Array } }).dict.offsets;
    expect(v.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(v)).toEqual(Array.from(values));
    expect(i.buffer).toBe(o.buffer);
    expect(o[5]).toBe(7);
    expect(values.buffer).toBeInstanceOf(ArrayBuffer); // the original is untouched
  });

  it("leaves small values and values already shared as they are", () => {
    const small = { a: new Float64Array(8) };
    expect(shareLarge(small)).toBe(small);
    const shared = { a: new Float64Array(new SharedArrayBuffer(8 * SHARE_MIN_BYTES)) };
    expect(shareLarge(shared)).toBe(shared);
  });
});
