// Takes in a pool thread write their columns into the thread's scratch memory: buffers that an earlier task left full
// of other data come back equal to a take into fresh memory, for every column kind, nulls and -1 rows included.
import { afterEach, describe, expect, it } from "vitest";
import { columnFromValues, columnToArray, type Column } from "@tessera/kernels";
import { takeColumn } from "../src/take.js";
import { enableScratch, reclaimScratch } from "../src/scratch.js";
import { dictCol } from "./helpers.js";

describe("takes into scratch memory", () => {
  afterEach(() => enableScratch(false));
  const n = 60_000; // columns past scratch's 128 KiB threshold
  const cols: Column[] = [
    columnFromValues("float64", Array.from({ length: n }, (_, i) => (i % 13 === 0 ? null : i / 3))),
    columnFromValues("utf8", Array.from({ length: n }, (_, i) => (i % 17 === 0 ? null : `s${i % 1000}-${"y".repeat(i % 9)}`))),
    dictCol(["a", "b", "c"], Array.from({ length: n }, (_, i) => (i % 11 === 0 ? null : i % 3))),
  ];
  const rows = Int32Array.from({ length: n }, (_, j) => (j % 29 === 0 ? -1 : (j * 7919) % n));

  it("equal fresh-memory takes after buffers were lent, filled with junk and taken back", () => {
    const want = cols.map((c) => columnToArray(takeColumn(c, rows)));
    enableScratch(true);
    for (let round = 0; round < 3; round++) {
      reclaimScratch();
      const got = cols.map((c) => takeColumn(c, rows));
      got.forEach((c, k) => expect(columnToArray(c)).toEqual(want[k]));
      // Leave every buffer dirty for the next round's takes, which get the same buffers back.
      for (const c of got) {
        if (c.valid !== null) c.valid.fill(0x55);
        if (c.kind === "str") { c.offsets.fill(-3); c.bytes.fill(0x7a); }
        if (c.kind === "dict") c.indices.fill(99);
      }
    }
    // The string buffers did come from scratch: from an emptied scratch pool, one of them serves the next task's offsets.
    enableScratch(false);
    enableScratch(true);
    reclaimScratch();
    const a = takeColumn(cols[1] as Column, rows);
    reclaimScratch();
    const b = takeColumn(cols[1] as Column, rows);
    if (a.kind !== "str" || b.kind !== "str") throw new Error("string takes");
    expect(b.offsets.buffer === a.offsets.buffer || b.offsets.buffer === a.bytes.buffer).toBe(true);
  });
});
