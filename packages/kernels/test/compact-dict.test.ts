// compactDict keeps the rows' values and drops unused dictionary entries; hash splits carry only what they use.
import { describe, expect, it } from "vitest";
import { columnFromValues, columnToArray, compactDict, compactSplitDicts, hashPartition, partitionLayout, scatterColumn } from "@tessera/kernels";
import type { Batch, DictColumn, StrColumn } from "@tessera/kernels";

function dictColumn(words: string[], indices: number[], valid: number[] | null = null): DictColumn {
  return {
    kind: "dict", type: "utf8", length: indices.length, indices: Int32Array.from(indices),
    dict: columnFromValues("utf8", words) as StrColumn, valid: valid ? Uint8Array.from(valid) : null,
  };
}

describe("compactDict", () => {
  const words = Array.from({ length: 100 }, (_, i) => `word-${i}`);

  it("keeps every row's value (nulls too) over a dictionary of only the used entries, in dictionary order", () => {
    const c = dictColumn(words, [70, 3, 70, 99, 5, 3], [1, 1, 1, 0, 1, 1]);
    const out = compactDict(c);
    expect(columnToArray(out)).toEqual(columnToArray(c));
    expect(columnToArray(out.dict)).toEqual(["word-3", "word-5", "word-70"]);
  });

  it("copies values of every length: empty, short, and past 32 bytes (copied as a block)", () => {
    const mixed = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? "" : i % 3 === 1 ? `s${i}` : `${"long-".repeat(8 + (i % 5))}${i}`));
    for (const rows of [[2, 59, 4, 0, 1, 2, 31, 44], [7, 3, 58, 57, 9]]) {
      const c = dictColumn(mixed, rows);
      const out = compactDict(c);
      expect(columnToArray(out)).toEqual(rows.map((k) => mixed[k]));
      expect(columnToArray(out.dict)).toEqual([...new Set(rows)].sort((a, b) => a - b).map((k) => mixed[k]));
    }
  });

  it("compacts a few rows of a large dictionary in the order the rows first use its entries", () => {
    const big = Array.from({ length: 20_000 }, (_, i) => `entry-${i}`);
    const rows = Array.from({ length: 2000 }, (_, i) => (i * 7919) % 20_000 % 1200 * 13);
    const valid = rows.map((_, i) => (i % 17 === 0 ? 0 : 1));
    const c = dictColumn(big, rows, valid);
    const out = compactDict(c);
    expect(columnToArray(out)).toEqual(columnToArray(c));
    const firstUse = [...new Set(rows.filter((_, i) => valid[i] === 1))].map((k) => big[k]);
    expect(columnToArray(out.dict)).toEqual(firstUse);
    // The same decision as in dictionary order: a column using most of a large dictionary stays as it is.
    const most = dictColumn(big, Array.from({ length: 20_000 }, (_, i) => (i * 7) % 20_000));
    expect(compactDict(most)).toBe(most);
  });

  it("returns the column unchanged when most entries are used", () => {
    const c = dictColumn(["a", "b", "c"], [0, 1, 2, 1]);
    expect(compactDict(c)).toBe(c);
  });

  it("hashPartition buckets hold the same rows with dictionaries no larger than what they use", () => {
    const n = 5000;
    const idx = Array.from({ length: n }, (_, i) => (i * 37) % 100);
    const b: Batch = { fields: [{ name: "k", type: "utf8", nullable: false }], columns: [dictColumn(words, idx)], length: n };
    const parts = hashPartition(b, ["k"], 8);
    const all = parts.flatMap((p) => columnToArray(p.columns[0]!) as string[]);
    expect(all.sort()).toEqual((columnToArray(b.columns[0]!) as string[]).sort());
    for (const p of parts) {
      const c = p.columns[0] as DictColumn;
      expect(c.dict.length).toBeLessThanOrEqual(new Set(columnToArray(c)).size);
    }
  });

  it("compactSplitDicts recodes each piece over only the entries it uses, or keeps the shared dictionary when it uses most", () => {
    const n = 2000;
    const idx = Array.from({ length: n }, (_, i) => (i * 7919) % 100);
    const valid = Array.from({ length: n }, (_, i) => (i % 13 === 0 ? 0 : 1));
    const c = dictColumn(words, idx, valid);
    // Parts 0-3 each see a quarter of the words (7919i ≡ 3i mod 4), part 4 sees every word.
    const parts = Uint32Array.from({ length: n }, (_, i) => (i < n / 2 ? i % 4 : 4));
    const l = partitionLayout(parts, 5);
    const pieces = scatterColumn(c, l) as DictColumn[];
    const before = pieces.map((p) => columnToArray(p));
    const compacted = compactSplitDicts(pieces);
    compacted.forEach((p, j) => {
      expect(columnToArray(p)).toEqual(before[j]);
      const used = new Set((before[j] as (string | null)[]).filter((v) => v !== null)).size;
      if (j < 4) expect(p.dict.length).toBe(used);
    });
    expect(compacted[4]!.dict).toBe(c.dict);
  });
});

describe("hashPartition by one dictionary key", () => {
  it("puts each row where hashing its value puts it (as for plain strings), each piece over only its own entries", () => {
    const words = Array.from({ length: 50 }, (_, i) => `key-${i}`);
    const n = 400;
    const idx = Array.from({ length: n }, (_, i) => (i * 31) % 50);
    const valid = Array.from({ length: n }, (_, i) => (i % 17 === 0 ? 0 : 1));
    const dict = dictColumn(words, idx, valid);
    const plain = columnFromValues("utf8", columnToArray(dict));
    const v = columnFromValues("int32", Array.from({ length: n }, (_, i) => i));
    const fields = [{ name: "k", type: "utf8" as const, nullable: true }, { name: "v", type: "int32" as const, nullable: false }];
    const byDict = hashPartition({ fields, columns: [dict, v], length: n }, ["k"], 5);
    const byPlain = hashPartition({ fields, columns: [plain, v], length: n }, ["k"], 5);
    expect(byDict.map((p) => columnToArray(p.columns[1]!))).toEqual(byPlain.map((p) => columnToArray(p.columns[1]!)));
    expect(byDict.map((p) => columnToArray(p.columns[0]!))).toEqual(byPlain.map((p) => columnToArray(p.columns[0]!)));
    const owners = new Map<string, number>();
    byDict.forEach((p, j) => {
      for (const w of columnToArray((p.columns[0] as DictColumn).dict) as string[]) {
        expect(owners.has(w)).toBe(false);
        owners.set(w, j);
      }
    });
    expect(owners.size).toBe(50);
  });
});
