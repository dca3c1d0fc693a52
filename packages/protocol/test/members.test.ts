// Members: a set of references that holds its first member inline and behaves like a Set.
import { describe, expect, it } from "vitest";
import { Members } from "@tessera/protocol";

describe("Members", () => {
  it("adds, finds, deletes and iterates like a Set, one member or many, in insertion order", () => {
    const [a, b, c] = [{ n: 1 }, { n: 2 }, { n: 3 }];
    const m = new Members<{ n: number }>();
    expect([m.size, [...m]]).toEqual([0, []]);
    m.add(a);
    m.add(a);
    expect([m.size, m.has(a), m.has(b), [...m]]).toEqual([1, true, false, [a]]);
    m.add(b);
    m.add(c);
    expect([m.size, [...m]]).toEqual([3, [a, b, c]]);
    expect(m.delete(b)).toBe(true);
    expect(m.delete(b)).toBe(false);
    expect([...m]).toEqual([a, c]);
    m.clear();
    expect([m.size, m.has(a), m.delete(a)]).toEqual([0, false, false]);
    m.add(c);
    expect([...m]).toEqual([c]);
  });

  it("iterates a single member in nested loops and by hand like a Set", () => {
    const a = { n: 1 };
    const m = new Members<{ n: number }>();
    m.add(a);
    const pairs: [number, number][] = [];
    for (const x of m) for (const y of m) pairs.push([x.n, y.n]);
    expect(pairs).toEqual([[1, 1]]);
    const it = m[Symbol.iterator]();
    const first = it.next();
    expect([first.done, first.value]).toEqual([false, a]);
    expect(it.next()).toMatchObject({ done: true, value: undefined });
    expect(it.next()).toMatchObject({ done: true, value: undefined });
    const [only, ...rest] = m;
    expect([only, rest]).toEqual([a, []]);
  });
});
