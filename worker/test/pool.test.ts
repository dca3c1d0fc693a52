// The op runners: ops run in pool threads, results come back transferred, errors carry op and label.
import { afterAll, describe, expect, it } from "vitest";
import { isTesseraError } from "@tessera/common";
import { InlineRunner, ThreadPool } from "@tessera/worker";
import { TEST_OPS_MODULE } from "@tessera/worker/testing";
import { RELEASE_DELAY_MS } from "../src/pool/release.js";

const opModules = [TEST_OPS_MODULE];
const pool = new ThreadPool({ threads: 1, opModules });
afterAll(() => pool.close());

describe("ThreadPool", () => {
  it("closed as soon as it is made, waits for its threads to load their modules before terminating them", async () => {
    // Terminating a thread inside require can abort the process; a short job's pool closes that early.
    for (let k = 0; k < 3; k++) {
      const early = new ThreadPool({ threads: 2, opModules });
      expect(early.threadsLoaded).toBe(0);
      await early.close();
      expect(early.threadsLoaded).toBe(2);
    }
  });

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
    it(`collects a large task's garbage soon after it, so an idle thread does not keep the buffers it dropped (${op})`, async () => {
      const own = new ThreadPool({ threads: 1, opModules });
      try {
        const big = 8_000_000; // 64 MB of float64, dropped by the op
        await own.run({ key: "g", op, args: { n: big }, inputs: [] });
        // V8 frees a collected buffer's memory on a background thread, later on a loaded machine: ask until it is
        // gone (each ask is a task on the same idle thread, which itself allocates nothing worth collecting), for up to 30 s.
        let held = Infinity;
        const deadline = Date.now() + 30_000;
        for (let attempt = 0; held >= big * 8 && Date.now() < deadline; attempt++) {
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

describe("ThreadPool collections after batches", () => {
  it("forces at most one collection per RELEASE_DELAY_MS while batches that leave garbage keep coming, and one after the last", async () => {
    const own = new ThreadPool({ threads: 1, opModules });
    try {
      await own.run({ key: "warm", op: "noop", args: null, inputs: [] });
      const before = (await own.run({ key: "f0", op: "forced-collections", args: null, inputs: [] })) as number;
      const started = performance.now();
      // Each leaves 16 MB of garbage behind: past RELEASE_MIN_BYTES, so each asks for a collection.
      for (let i = 0; i < 40; i++) await own.run({ key: `g${i}`, op: "make-garbage", args: { n: 2_000_000 }, inputs: [] });
      // The last one's collection runs RELEASE_DELAY_MS later; the observer reports it a little after that.
      let after = before;
      const deadline = Date.now() + 30_000;
      for (let k = 0; after === before && Date.now() < deadline; k++) {
        after = (await own.run({ key: `f${k + 1}`, op: "forced-collections", args: null, inputs: [] })) as number;
      }
      const elapsed = performance.now() - started;
      expect(after).toBeGreaterThan(before);
      // After every batch, as before, this would be 40 collections.
      expect(after - before).toBeLessThanOrEqual(Math.ceil(elapsed / RELEASE_DELAY_MS) + 1);
      expect(after - before).toBeLessThan(40);
    } finally {
      await own.close();
    }
  });
});

describe("ThreadPool batches", () => {
  it("sends runs of a short op that wait together to the thread in batches, each with its own result", async () => {
    const own = new ThreadPool({ threads: 1, opModules });
    try {
      await own.execute({ key: "warm", op: "noop", args: null, inputs: [] });
      const before = own.batches;
      const outcomes = await Promise.all(Array.from({ length: 200 }, (_, i) => own.execute({ key: `n${i}`, op: "sum-inputs", args: i, inputs: [] })));
      expect(outcomes.map((o) => o.value)).toEqual(Array.from({ length: 200 }, (_, i) => i));
      for (const o of outcomes) {
        expect(o.thread).toBe(0);
        expect(o.ms).toBeGreaterThanOrEqual(0);
      }
      // The first sum-inputs run goes alone (its time is not known yet); the rest share batches.
      expect(own.batches - before).toBeLessThan(20);
    } finally {
      await own.close();
    }
  });

  it("fails only the run whose op failed, not the others of its batch", async () => {
    const own = new ThreadPool({ threads: 1, opModules });
    try {
      await own.execute({ key: "warm", op: "noop", args: null, inputs: [] });
      await own.execute({ key: "warm-fail", op: "fail", args: null, inputs: [] }).catch(() => undefined);
      const runs = Array.from({ length: 30 }, (_, i) => own.run(i === 17
        ? { key: "bad", op: "fail", args: { code: "TEST_FAILURE", message: "boom" }, inputs: [] }
        : { key: `n${i}`, op: "noop", args: null, inputs: [] }));
      const settled = await Promise.allSettled(runs);
      expect(settled.map((s) => s.status)).toEqual(Array.from({ length: 30 }, (_, i) => (i === 17 ? "rejected" : "fulfilled")));
      expect((settled[17] as PromiseRejectedResult).reason).toMatchObject({ code: "TEST_FAILURE" });
      expect(own.runs - own.batches).toBeGreaterThan(0);
    } finally {
      await own.close();
    }
  });

  it("moves a buffer that several results of one batch share once, and each result still holds it", async () => {
    const own = new ThreadPool({ threads: 1, opModules });
    try {
      await own.execute({ key: "warm", op: "first-input", args: null, inputs: [] });
      // One input array for three runs of one batch: the thread gets one copy, and all three return it.
      const shared = Float64Array.from([1, 2, 3, 4]);
      const values = await Promise.all([0, 1, 2].map((i) => own.run({ key: `v${i}`, op: "first-input", args: null, inputs: [shared] })));
      for (const v of values) expect(Array.from(v as Float64Array)).toEqual([1, 2, 3, 4]);
      expect(own.runs - own.batches).toBeGreaterThan(0);
    } finally {
      await own.close();
    }
  });

  it("numbers threads from 0, one lane per thread", async () => {
    const own = new ThreadPool({ threads: 2, opModules });
    try {
      const outcomes = await Promise.all(Array.from({ length: 40 }, (_, i) => own.execute({ key: `s${i}`, op: "sleep", args: { ms: 2 }, inputs: [] })));
      const lanes = new Set(outcomes.map((o) => o.thread));
      expect([...lanes].every((l) => l === 0 || l === 1)).toBe(true);
    } finally {
      await own.close();
    }
  });
});
