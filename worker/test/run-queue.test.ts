// The pool's run queue: order kept, unknown and long ops alone, short ones batched within a budget and a fair share.
import { describe, expect, it } from "vitest";
import { BATCH_BUDGET_MS, MAX_BATCH_RUNS, RunQueue, SHORT_RUN_MS } from "@tessera/worker";

function queue(ops: readonly string[]): RunQueue<string> {
  const q = new RunQueue<string>();
  ops.forEach((op, i) => q.push(op, `${op}${i}`));
  return q;
}

function drain(q: RunQueue<string>, freeThreads = 1): string[][] {
  const out: string[][] = [];
  while (q.size > 0) out.push(q.take(freeThreads));
  return out;
}

describe("RunQueue", () => {
  it("sends runs of an op it has not timed yet one at a time", () => {
    expect(drain(queue(["a", "a", "a"]))).toEqual([["a0"], ["a1"], ["a2"]]);
  });

  it("batches an op known to be short, within the budget and MAX_BATCH_RUNS, in order", () => {
    const q = queue(Array.from({ length: 150 }, () => "s"));
    q.record("s", 0.001);
    const batches = drain(q);
    expect(batches.map((b) => b.length)).toEqual([MAX_BATCH_RUNS, MAX_BATCH_RUNS, 150 - 2 * MAX_BATCH_RUNS]);
    expect(batches.flat()).toEqual(Array.from({ length: 150 }, (_, i) => `s${i}`));
    const slow = queue(Array.from({ length: 10 }, () => "m"));
    slow.record("m", SHORT_RUN_MS * 0.8);
    expect(slow.take(1)).toHaveLength(Math.floor(BATCH_BUDGET_MS / (SHORT_RUN_MS * 0.8)));
  });

  it("never batches a long op, and ends a batch of short ones before it", () => {
    const q = queue(["s", "s", "long", "s", "s"]);
    q.record("s", 0.01);
    q.record("long", 50);
    expect(drain(q)).toEqual([["s0", "s1"], ["long2"], ["s3", "s4"]]);
  });

  it("leaves each free thread its share of the queue", () => {
    const q = queue(Array.from({ length: 10 }, () => "s"));
    q.record("s", 0.01);
    expect(q.take(4)).toHaveLength(3);
    expect(q.take(3)).toHaveLength(3);
    expect(q.size).toBe(4);
  });

  it("keeps a running average per op", () => {
    const q = new RunQueue<string>();
    q.record("x", 10);
    q.record("x", 0);
    expect(q.expectedMs("x")).toBeCloseTo(8);
    expect(q.expectedMs("y")).toBeUndefined();
  });
});
