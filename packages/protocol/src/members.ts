// A small set of references: one member held inline, a Set only from the second on (most task relations hold one);
// the scheduler's and the worker's task records both use it.

const EMPTY: Iterator<never> = { next: () => ({ done: true, value: undefined }) };

/**
 * Iterates a single member; it is its own result object (for-of reads `done` and `value` before calling next()
 * again), so iterating one member allocates one small object. Relations are iterated several times per task.
 */
class OneMember<T> implements Iterator<T> {
  done = false;
  value: T | undefined;

  constructor(one: T) {
    this.value = one;
  }

  next(): IteratorResult<T> {
    if (this.returned) {
      this.done = true;
      this.value = undefined;
    }
    this.returned = true;
    return this as IteratorResult<T>;
  }

  private returned = false;
}

/**
 * An insertion-ordered set of object references, like a Set, for relations that usually hold a single member
 * (a task's one input, one holder, one job): that member costs a field, not a hash table. Large graphs keep
 * several relations per task, so this is most of a task's memory.
 */
export class Members<T extends object> implements Iterable<T> {
  private one: T | undefined = undefined;
  private many: Set<T> | null = null;

  get size(): number {
    return this.many !== null ? this.many.size : this.one === undefined ? 0 : 1;
  }

  has(x: T): boolean {
    return this.many !== null ? this.many.has(x) : this.one === x;
  }

  add(x: T): void {
    if (this.many !== null) { this.many.add(x); return; }
    if (this.one === undefined || this.one === x) { this.one = x; return; }
    this.many = new Set([this.one, x]);
    this.one = undefined;
  }

  /** True when `x` was a member. */
  delete(x: T): boolean {
    if (this.many !== null) return this.many.delete(x);
    if (this.one !== x) return false;
    this.one = undefined;
    return true;
  }

  clear(): void {
    this.one = undefined;
    this.many = null;
  }

  [Symbol.iterator](): Iterator<T> {
    if (this.many !== null) return this.many.values();
    const one = this.one;
    return one === undefined ? EMPTY : new OneMember(one);
  }
}

/** The read-only view of Members that relations expose. */
export interface ReadonlyMembers<T> extends Iterable<T> {
  readonly size: number;
  has(x: T): boolean;
}
