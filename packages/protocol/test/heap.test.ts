// PriorityHeap: pops in priority order whatever order items were pushed in (in order, out of order, interleaved).
import { describe, expect, it } from "vitest";
import { mulberry32 } from "@tessera/common";
import { PriorityHeap, comparePriority } from "@tessera/protocol";
import type { Priority } from "@tessera/protocol";

interface Item { readonly priority: Priority; readonly id: number }

describe("PriorityHeap", () => {
  it("pops in priority order for in-order, reversed and random pushes interleaved with pops", () => {
    const r = mulberry32(7);
    for (const shape of ["ascending", "descending", "random", "mostly-ascending"] as const) {
      const heap = new PriorityHeap<Item>();
      const reference: Item[] = [];
      const popped: Item[] = [];
      const want: Item[] = [];
      for (let i = 0; i < 2000; i++) {
        const order = shape === "ascending" ? i : shape === "descending" ? 2000 - i : shape === "random" ? Math.floor(r() * 500) : i + (r() < 0.1 ? -50 : 0);
        const item = { priority: [Math.floor(order / 1000), order % 1000] as const, id: i };
        heap.push(item);
        reference.push(item);
        if (r() < 0.3) {
          reference.sort((a, b) => comparePriority(a.priority, b.priority));
          want.push(reference.shift() as Item);
          popped.push(heap.pop() as Item);
        }
      }
      expect(heap.size).toBe(reference.length);
      reference.sort((a, b) => comparePriority(a.priority, b.priority));
      expect(heap.peek()?.priority).toEqual(reference[0]?.priority);
      for (let x = heap.pop(); x !== undefined; x = heap.pop()) popped.push(x);
      want.push(...reference);
      expect(popped.map((x) => x.priority)).toEqual(want.map((x) => x.priority));
    }
  });

  it("filter drops items and keeps the rest in order", () => {
    const heap = new PriorityHeap<Item>();
    for (const o of [1, 2, 3, 10, 4, 5]) heap.push({ priority: [0, o], id: o });
    heap.filter((x) => x.id % 2 === 0);
    const out: number[] = [];
    for (let x = heap.pop(); x !== undefined; x = heap.pop()) out.push(x.id);
    expect(out).toEqual([2, 4, 10]);
  });
});
