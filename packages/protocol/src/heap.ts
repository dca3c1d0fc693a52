// A binary min-heap ordered by a task priority; used for the scheduler's queue and the worker's ready set.
import type { Priority } from "./messages.js";

/** Lexicographic order of priorities: negative when `a` runs first. */
export function comparePriority(a: Priority, b: Priority): number {
  return a[0] - b[0] || a[1] - b[1];
}

/**
 * A min-heap of items by their priority. Removal is lazy: callers skip popped items that are no longer
 * eligible, so an item may be pushed again while a stale copy is still inside. Items pushed in priority order
 * (the usual case: a graph's tasks become ready in graph order) go to a sorted run instead, costing O(1) each;
 * the rest go to the heap, and pop takes the smaller head of the two.
 */
export class PriorityHeap<T extends { readonly priority: Priority }> {
  private readonly items: T[] = [];
  private run: T[] = [];
  private head = 0;

  get size(): number {
    return this.items.length + this.run.length - this.head;
  }

  push(item: T): void {
    const last = this.run[this.run.length - 1];
    if (this.run.length === this.head || (last !== undefined && comparePriority(last.priority, item.priority) <= 0)) {
      if (this.run.length === this.head && this.head > 0) { this.run = []; this.head = 0; }
      this.run.push(item);
      return;
    }
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = a[parent] as T;
      if (comparePriority(p.priority, item.priority) <= 0) break;
      a[i] = p;
      i = parent;
    }
    a[i] = item;
  }

  peek(): T | undefined {
    const r = this.run[this.head];
    const h = this.items[0];
    if (r === undefined) return h;
    if (h === undefined) return r;
    return comparePriority(r.priority, h.priority) <= 0 ? r : h;
  }

  pop(): T | undefined {
    const r = this.run[this.head];
    const h = this.items[0];
    if (r !== undefined && (h === undefined || comparePriority(r.priority, h.priority) <= 0)) {
      this.run[this.head] = undefined as unknown as T; // drop the reference; the slot is behind the head
      this.head++;
      if (this.head === this.run.length) { this.run = []; this.head = 0; }
      return r;
    }
    return this.popHeap();
  }

  private popHeap(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (top === undefined || last === undefined || a.length === 0) return top;
    let i = 0;
    const n = a.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && comparePriority((a[r] as T).priority, (a[l] as T).priority) < 0 ? r : l;
      const child = a[c] as T;
      if (comparePriority(last.priority, child.priority) <= 0) break;
      a[i] = child;
      i = c;
    }
    a[i] = last;
    return top;
  }

  /** Drops items for which `keep` is false (compaction of stale entries). */
  filter(keep: (item: T) => boolean): void {
    const kept = [...this.run.slice(this.head), ...this.items].filter(keep);
    this.items.length = 0;
    this.run = [];
    this.head = 0;
    kept.sort((x, y) => comparePriority(x.priority, y.priority));
    for (const item of kept) this.push(item);
  }
}
