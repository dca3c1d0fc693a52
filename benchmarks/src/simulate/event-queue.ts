// A min-heap of timed events: the simulation's clock advances to the earliest one.

export interface TimedEvent {
  readonly time: number;
  /** Insertion order: events at the same time run in the order they were scheduled. */
  readonly seq: number;
}

export class EventQueue<E extends TimedEvent> {
  private readonly heap: E[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(e: E): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(h[i] as E, h[p] as E)) break;
      [h[i], h[p]] = [h[p] as E, h[i] as E];
      i = p;
    }
  }

  pop(): E | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last !== undefined) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l] as E, h[m] as E)) m = l;
        if (r < h.length && before(h[r] as E, h[m] as E)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m] as E, h[i] as E];
        i = m;
      }
    }
    return top;
  }
}

function before(a: TimedEvent, b: TimedEvent): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
