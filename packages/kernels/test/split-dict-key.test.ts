// Hash partitioning by one dictionary key (each entry hashed once, each partition's dictionary its own entries) puts
// every row where partitioning the same values as plain strings puts it, in order, and each piece's dictionary holds
// exactly the entries whose values go there, byte for byte: short and long values, repeated entries, nulls.
import { describe, expect, it } from "vitest";
import { columnFromValues, columnToArray, type Batch, type Column } from "@tessera/kernels";
import { hashPartition } from "../src/hash-partition.js";
import { dictCol, rng } from "./helpers.js";

describe("hash partitions by one dictionary key", () => {
  it("match partitions of the same values as plain strings, row for row", () => {
    const r = rng(17);
    // Entries of 0 to 40 bytes (some repeated), so appended entries of every length sit side by side in a piece.
    const entries = Array.from({ length: 3000 }, (_, k) => `${"é".repeat(k % 5)}v${k % 2500}${"z".repeat((k * 7) % 30)}`);
    const n = 20_000;
    const idx = Array.from({ length: n }, () => (r() < 0.03 ? null : Math.floor(r() * entries.length)));
    const key = dictCol(entries, idx);
    const plain = columnFromValues("utf8", columnToArray(key) as (string | null)[]);
    const other = columnFromValues("int32", Array.from({ length: n }, (_, i) => i));
    const fields = [{ name: "k", type: "utf8" as const, nullable: true }, { name: "i", type: "int32" as const, nullable: false }];
    const asDict: Batch = { fields, columns: [key, other], length: n };
    const asPlain: Batch = { fields, columns: [plain, other], length: n };
    for (const parts of [1, 7, 41]) {
      const a = hashPartition(asDict, ["k"], parts);
      const b = hashPartition(asPlain, ["k"], parts);
      // Where each entry's value goes as a plain string: the values each piece's dictionary must hold.
      const entryCol = columnFromValues("utf8", entries);
      const byEntry = hashPartition({ fields: [fields[0]!], columns: [entryCol], length: entries.length }, ["k"], parts);
      expect(a.length).toBe(parts);
      a.forEach((piece, p) => {
        const want = b[p] as Batch;
        expect(piece.columns.map((c) => columnToArray(c)), `partition ${p} of ${parts}`).toEqual(want.columns.map((c) => columnToArray(c)));
        const k = piece.columns[0] as Column;
        if (k.kind === "dict") {
          // The piece's dictionary: exactly the entries whose values go to this partition, in order.
          expect(columnToArray(k.dict), `partition ${p} of ${parts}`).toEqual(columnToArray((byEntry[p] as Batch).columns[0] as Column));
        }
      });
    }
  });
});
