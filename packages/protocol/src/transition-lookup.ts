// The state machines' transition tables, looked up by (from, to) without building the "from->to" string each time.

/**
 * A table written as `{ "from->to": fn }` (how both state machines spell theirs), indexed by its two states. Looking a
 * pair up by a template string costs a fresh string and its hashing on every transition, about five times a lookup
 * here (measured: 100 against 18 ns), and every task makes several transitions on each side.
 */
export class TransitionLookup<F> {
  private readonly byFrom = new Map<string, Map<string, F>>();

  constructor(table: Readonly<Record<string, F>>) {
    for (const [pair, fn] of Object.entries(table)) {
      const arrow = pair.indexOf("->");
      if (arrow <= 0 || arrow + 2 >= pair.length || pair.indexOf("->", arrow + 2) >= 0) {
        throw new Error(`transition table entry "${pair}" is not "from->to"`);
      }
      const from = pair.slice(0, arrow);
      let row = this.byFrom.get(from);
      if (row === undefined) this.byFrom.set(from, (row = new Map()));
      row.set(pair.slice(arrow + 2), fn);
    }
  }

  /** The transition from `from` to `to`, if the table has one. */
  get(from: string, to: string): F | undefined {
    return this.byFrom.get(from)?.get(to);
  }
}
