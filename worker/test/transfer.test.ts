// prepareTransfer: which buffers a thread's result moves, which it compacts, which it leaves alone.
import { describe, expect, it } from "vitest";
import { prepareTransfer } from "@tessera/worker";

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
