// Canonical dictionaries, what they let concatenation and Arrow output share, and dictionaries made unique (uniqueDict).
import { describe, expect, it } from "vitest";
import * as arrow from "apache-arrow";
import {
  canonicalDictionary, columnToArray, concatColumns, dictEncodeBatch, sameStrings, strColumnFromStrings, tableFromBatches,
  uniqueDict, SMALL_DICTIONARY,
  type Batch, type Column, type DictColumn, type StrColumn,
} from "@tessera/kernels";

const strs = (v: string[]): StrColumn => strColumnFromStrings(v);
const dictCol = (dict: StrColumn, idx: number[]): DictColumn => ({ kind: "dict", type: "utf8", length: idx.length, indices: Int32Array.from(idx), dict, valid: null });

describe("canonicalDictionary", () => {
  it("keeps each value once in byte order, and maps every entry to its value", () => {
    const d = strs(["b", "é", "a", "b", "", "ab", "a"]);
    const c = canonicalDictionary(d);
    expect(columnToArray(c.dict)).toEqual(["", "a", "ab", "b", "é"]);
    expect(Array.from(c.remap)).toEqual([3, 4, 1, 3, 0, 2, 1]);
  });

  it("gives equal dictionaries for the same values in any order and number", () => {
    const a = canonicalDictionary(strs(["x", "y", "z"])).dict, b = canonicalDictionary(strs(["z", "x", "y", "x"])).dict;
    expect(sameStrings(a, b)).toBe(true);
    expect(sameStrings(a, canonicalDictionary(strs(["x", "y"])).dict)).toBe(false);
    expect(sameStrings(strs(["ab", "c"]), strs(["a", "bc"]))).toBe(false);
  });
});

describe("sharing equal small dictionaries", () => {
  const d1 = canonicalDictionary(strs(["p", "q", "r"])).dict, d2 = canonicalDictionary(strs(["r", "q", "p"])).dict;

  it("concatenation keeps one of them, with no offsets", () => {
    const c = concatColumns([dictCol(d1, [0, 2]), dictCol(d2, [1, 1, 0])], "utf8") as DictColumn;
    expect(c.dict).toBe(d1);
    expect(columnToArray(c)).toEqual(["p", "r", "q", "q", "p"]);
  });

  it("appended Arrow dictionaries hold it once", () => {
    const f = [{ name: "k", type: "utf8" as const, nullable: false }];
    const batch = (c: DictColumn): Batch => ({ fields: f, columns: [c], length: c.length });
    const t = tableFromBatches([batch(dictCol(d1, [0, 2])), batch(dictCol(d2, [1, 1, 0]))], undefined, { dictionaries: "append" });
    const k = t.getChild("k") as arrow.Vector;
    expect((k.data[0]?.dictionary as arrow.Vector).length).toBe(3);
    expect([...k]).toEqual(["p", "r", "q", "q", "p"]);
  });

  it("large dictionaries are appended even when equal (comparing them would cost what merging does)", () => {
    const values = Array.from({ length: SMALL_DICTIONARY + 1 }, (_, i) => `s${i}`);
    const a = strs(values), b = strs(values);
    const all = values.map((_, i) => i);
    const c = concatColumns([dictCol(a, all), dictCol(b, all)], "utf8") as DictColumn;
    expect(c.dict.length).toBe(2 * values.length);
    expect(columnToArray(c as Column)).toEqual([...values, ...values]);
  });
});

describe("uniqueDict", () => {
  const values = Array.from({ length: SMALL_DICTIONARY + 10 }, (_, i) => `k${i}`);

  it("keeps each value of a large dictionary once, the rows' values unchanged", () => {
    // Two row groups' dictionaries appended (overlapping), as a Parquet read or a concatenation leaves them.
    const d = strs([...values, ...values.slice(5)]);
    const idx = [0, values.length, values.length + 3, 7, d.length - 1];
    const c = { ...dictCol(d, idx), valid: Uint8Array.of(1, 1, 0, 1, 1) };
    const u = uniqueDict(c);
    expect(u.dict.length).toBe(values.length);
    expect(new Set(columnToArray(u.dict)).size).toBe(values.length);
    expect(columnToArray(u)).toEqual(columnToArray(c));
    const b = dictEncodeBatch({ fields: [{ name: "k", type: "utf8", nullable: true }], columns: [c], length: c.length });
    expect(((b.columns[0] as DictColumn).dict).length).toBe(values.length);
  });

  it("returns the column itself when its dictionary has no repeats or is small", () => {
    const unique = dictCol(strs(values), [0, 1]);
    expect(uniqueDict(unique)).toBe(unique);
    const small = dictCol(strs(["a", "a"]), [0, 1]);
    expect(uniqueDict(small)).toBe(small);
  });
});
