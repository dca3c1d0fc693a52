// The op runners: ops run in pool threads, results come back transferred, errors carry op and label.
import { afterAll, describe, expect, it } from "vitest";
import { isTesseraError } from "@tessera/common";
import { InlineRunner, ThreadPool } from "@tessera/worker";
import { TEST_OPS_MODULE } from "@tessera/worker/testing";

const opModules = [TEST_OPS_MODULE];
const pool = new ThreadPool({ threads: 1, opModules });
afterAll(() => pool.close());

describe("ThreadPool", () => {
  it("runs ops in a pool thread, not the main thread", async () => {
    const id = await pool.run({ key: "t", op: "thread-id", args: null, inputs: [] });
    expect(id).toBeTypeOf("number");
    expect(id).not.toBe(0);
  });

  it("transfers a small returned buffer: the array arrives whole and is detached in the thread", async () => {
    const arr = (await pool.run({ key: "m", op: "make-array", args: { n: 1000, offset: 1 }, inputs: [] })) as Float64Array;
    expect(arr).toBeInstanceOf(Float64Array);
    expect(arr.length).toBe(1000);
    expect([arr[0], arr[999]]).toEqual([1, 1000]);
    expect(arr.buffer).toBeInstanceOf(ArrayBuffer);
    expect(await pool.run({ key: "q", op: "last-array-bytes", args: null, inputs: [] })).toBe(0);
  });

  it("returns a large result in shared memory, which a later task reads without a copy", async () => {
    const arr = (await pool.run({ key: "m", op: "make-array", args: { n: 1_000_000, offset: 1 }, inputs: [] })) as Float64Array;
    expect(arr.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect([arr.length, arr[0], arr[999_999]]).toEqual([1_000_000, 1, 1_000_000]);
    // The thread writes into its input; the caller sees the write, so the thread had the same memory.
    expect(await pool.run({ key: "b", op: "bump-shared", args: null, inputs: [arr] })).toBe(true);
    expect(arr[0]).toBe(2);
  });

  it("marks its threads as handing results over in shared memory, so ops may allocate results there", async () => {
    expect(await pool.run({ key: "r", op: "results-shared", args: null, inputs: [] })).toBe(true);
  });

  it("copies inputs into the thread, leaving the caller's values intact", async () => {
    const input = Float64Array.from([1, 2, 3.5]);
    expect(await pool.run({ key: "s", op: "sum-arrays", args: null, inputs: [input, input] })).toBe(13);
    expect(input.byteLength).toBe(24);
  });

  for (const op of ["make-garbage", "make-shared-garbage"]) {
    it(`collects a large task's garbage right after it, so an idle thread does not keep the buffers it dropped (${op})`, async () => {
      const own = new ThreadPool({ threads: 1, opModules });
      try {
        const big = 8_000_000; // 64 MB of float64, dropped by the op
        await own.run({ key: "g", op, args: { n: big }, inputs: [] });
        let held = Infinity;
        for (let attempt = 0; attempt < 50 && held >= big * 8; attempt++) {
          held = (await own.run({ key: `h${attempt}`, op: "array-buffer-bytes", args: null, inputs: [] })) as number;
        }
        expect(held).toBeLessThan(big * 8);
      } finally {
        await own.close();
      }
    });
  }

  it("rebuilds a thread's error with its code, category, op and partition label", async () => {
    const run = pool.run({ key: "k7", op: "fail", args: { message: "bad partition", code: "BAD" }, inputs: [], label: { name: "fail", partition: 3 } });
    await expect(run).rejects.toMatchObject({
      name: "ExecutionError", code: "BAD", category: "execution",
      message: "op fail, partition 3: bad partition",
      details: { key: "k7", op: "fail", label: { name: "fail", partition: 3 } },
    });
    await run.catch((e: unknown) => expect(isTesseraError(e)).toBe(true));
  });

  it("reports an unknown op as UNKNOWN_OP", async () => {
    await expect(pool.run({ key: "u", op: "no-such-op", args: null, inputs: [] })).rejects.toMatchObject({
      code: "UNKNOWN_OP", message: "op no-such-op: no op named no-such-op in this worker's registry",
    });
  });
});

describe("InlineRunner", () => {
  const inline = new InlineRunner({ opModules });

  it("runs ops on the main thread", async () => {
    expect(await inline.run({ key: "t", op: "thread-id", args: null, inputs: [] })).toBe(0);
    expect(await inline.run({ key: "s", op: "sum-inputs", args: 1, inputs: [2, 3] })).toBe(6);
    expect(await inline.run({ key: "r", op: "results-shared", args: null, inputs: [] })).toBe(false);
  });

  it("adds op and label to errors the same way", async () => {
    await expect(inline.run({ key: "k", op: "fail", args: null, inputs: [], label: { name: "agg-partial", partition: 3 } })).rejects.toMatchObject({
      code: "TEST_FAILURE", message: "op fail (agg-partial), partition 3: the fail op failed",
    });
  });
});
