import { describe, expect, it } from "vitest";
import { TransitionLookup } from "@tessera/protocol";

describe("TransitionLookup", () => {
  it("finds each pair of a from->to table, and nothing for a pair it lacks", () => {
    const table: Record<string, () => string> = {
      "released->waiting": () => "rw", "waiting->processing": () => "wp", "released->no-worker": () => "rn", "processing->released": () => "pr",
    };
    const lookup = new TransitionLookup(table);
    for (const [pair, fn] of Object.entries(table)) {
      const [from, to] = pair.split("->") as [string, string];
      expect(lookup.get(from, to)).toBe(fn);
    }
    expect(lookup.get("waiting", "released")).toBeUndefined();
    expect(lookup.get("released", "processing")).toBeUndefined();
    expect(lookup.get("forgotten", "released")).toBeUndefined();
  });

  it("refuses an entry that is not from->to", () => {
    for (const bad of ["released", "->waiting", "released->", "a->b->c"]) {
      expect(() => new TransitionLookup({ [bad]: 1 })).toThrow(`"${bad}" is not "from->to"`);
    }
  });
});
