// Kernels whose outputs or working arrays are scratch memory in a pool thread (hash partitions of strings and
// validity, a join's matched pairs and build rows, a median's values by group) give the same answers when the
// buffers they get back were left full of other data by an earlier task.
import { afterEach, describe, expect, it } from "vitest";
import { aggFull, batchFromColumns, batchToColumns, enableScratch, hashJoin, hashPartition, reclaimScratch, scratchArray, type Batch } from "@tessera/kernels";
import { typedSpec } from "./helpers.js";

/** Lends and fills every size class the kernels below ask for, then takes the dirty buffers back. */
function dirtyScratch(): void {
  reclaimScratch();
  for (let bytes = 1 << 17; bytes <= 1 << 23; bytes = Math.ceil(bytes * 1.25)) scratchArray(Uint8Array, bytes, false).fill(0xa5);
  reclaimScratch();
}

describe("scratch memory under kernel outputs", () => {
  afterEach(() => enableScratch(false));
  const n = 250_000; // pieces and pairs past scratch's 128 KiB threshold
  const left = batchFromColumns({
    k: Array.from({ length: n }, (_, i) => (i * 7) % 20_011),
    s: Array.from({ length: n }, (_, i) => (i % 19 === 0 ? null : `v${i % 5000}-${"q".repeat(i % 23)}`)),
    x: Array.from({ length: n }, (_, i) => (i % 31 === 0 ? null : (i % 997) / 7)),
  }, { k: "int32", x: "float64" });
  const right = batchFromColumns({
    k: Array.from({ length: 30_000 }, (_, i) => (i * 13) % 25_000),
    t: Array.from({ length: 30_000 }, (_, i) => `r${i}`),
  }, { k: "int32" });

  const run = (): unknown[] => {
    const pieces = hashPartition(left, ["s"], 4).map((b: Batch) => batchToColumns(b));
    const joined = batchToColumns(hashJoin(left, right, { leftOn: ["k"], rightOn: ["k"], how: "inner", suffix: "_r" }));
    const median = batchToColumns(aggFull(left, typedSpec({ keys: ["k"], aggs: [{ fn: "median", inputs: ["x"], name: "m" }] }, left.fields)));
    return [pieces, joined, median];
  };

  it("equal the answers from fresh memory, round after round", () => {
    const want = run();
    enableScratch(true);
    for (let round = 0; round < 2; round++) {
      dirtyScratch();
      expect(run()).toEqual(want);
    }
  });
});
