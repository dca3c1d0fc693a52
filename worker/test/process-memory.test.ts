// The process memory guard: a full GC once the measured bytes grew past the threshold since the last one.
import { describe, expect, it } from "vitest";
import { ProcessMemoryGuard, exposeGc } from "@tessera/worker";

function guard(options: { growthBytes?: number; growth?: number; limit?: number }, readings: number[]) {
  let t = 0;
  const g = new ProcessMemoryGuard({ limit: options.limit ?? Infinity, ...options, now: () => (t += 1000), measure: () => readings.shift() ?? 0 });
  return g;
}

describe("ProcessMemoryGuard", () => {
  exposeGc();

  it("collects once growth since the floor passes growthBytes, then reads the next value as the new floor", () => {
    // floor 100 at construction; 150 (+50): no; 250 (+150 > 100): collect; 240: the new floor; 300 (+60): no; 360 (+120): collect.
    const g = guard({ growthBytes: 100 }, [100, 150, 250, 240, 300, 360]);
    expect([g.check(), g.check(), g.check(), g.check(), g.check()]).toEqual([false, true, false, false, true]);
    expect(g.collections).toBe(2);
  });

  it("measures growth as a fraction of the limit without growthBytes, and never with an infinite limit", () => {
    const byLimit = guard({ growth: 0.1, limit: 1000 }, [0, 90, 120]);
    expect([byLimit.check(), byLimit.check()]).toEqual([false, true]);
    const never = guard({}, [0, 1e12]);
    expect(never.check()).toBe(false);
    expect(never.collections).toBe(0);
  });

  it("is throttled unless forced", () => {
    let t = 0;
    const readings = [0, 500, 500];
    const g = new ProcessMemoryGuard({ limit: Infinity, growthBytes: 100, everyMs: 100, now: () => t, measure: () => readings.shift() ?? 0 });
    t = 100;
    expect(g.check()).toBe(true);
    t = 150;
    expect(g.check()).toBe(false);
    expect(readings.length).toBe(1);
    expect(g.check(true)).toBe(false); // forced: read (the floor after the collection)
    expect(readings.length).toBe(0);
  });
});
