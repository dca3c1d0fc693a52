// Low-cardinality string columns decoded straight to canonical indices: row groups repeating one set of values, values
// that arrive late (once renumbered, then appended), too many values, nulls. Every read equals the values written, and
// a small dictionary comes back canonical (each value once, in byte order).
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { readParquet, writeParquet } from "@tessera/io";
import { batchFromColumns, canonicalDictionary, columnToArray, sameStrings, SMALL_DICTIONARY, type DictColumn, type StrColumn } from "@tessera/kernels";
import { SmallDictionary, MAX_ROW_REMAPS } from "../src/parquet/pages/small-dictionary.js";

const dir = mkdtempSync(path.join(tmpdir(), "tessera-small-dict-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `values` (one row group per inner array) as a utf8 column "s" and reads it back as a dictionary column. */
async function roundTrip(name: string, groups: (string | null)[][]): Promise<{ col: DictColumn; values: (string | null)[] }> {
  const values = groups.flat();
  const b = batchFromColumns({ s: values });
  const file = path.join(dir, `${name}.parquet`);
  // One row group per inner array: they are all the same length here.
  writeFileSync(file, writeParquet([b], b.fields, { rowGroupSize: (groups[0] as unknown[]).length }));
  const read = await readParquet(file, { dictionary: ["s"] });
  const col = read.columns[0] as DictColumn;
  expect(col.kind).toBe("dict");
  return { col, values };
}

function expectCanonical(dict: StrColumn): void {
  expect(sameStrings(dict, canonicalDictionary(dict).dict)).toBe(true);
}

/** `n` rows cycling through `set` from `shift` on. */
const cycle = (set: string[], n: number, shift: number): string[] => Array.from({ length: n }, (_, i) => set[(i * 7 + shift) % set.length] as string);

describe("small dictionaries decoded straight to canonical indices", () => {
  const set = Array.from({ length: 60 }, (_, i) => `city-${(i * 37) % 60}`);

  it("reads row groups that repeat one set of values, each in its own order", async () => {
    const { col, values } = await roundTrip("repeat", [0, 1, 2, 3].map((g) => cycle(set, 4000, 11 * g)));
    expect(columnToArray(col)).toEqual(values);
    expect(col.dict.length).toBe(60);
    expectCanonical(col.dict);
  });

  it("renumbers the rows read so far once when a later row group brings values that sort among them, then appends", async () => {
    const early = set.filter((_, i) => i % 2 === 0), late = set.filter((_, i) => i % 2 === 1);
    const more = Array.from({ length: 20 }, (_, i) => `city-${i}b`);
    // Group 1 brings new values (one renumbering); group 2 more (past MAX_ROW_REMAPS: appended); group 3 none new.
    const { col, values } = await roundTrip("late", [cycle(early, 3000, 0), cycle(set, 3000, 5), cycle([...set, ...more], 3000, 2), cycle(set, 3000, 9)]);
    expect(MAX_ROW_REMAPS).toBe(1);
    expect(columnToArray(col)).toEqual(values);
    expect(col.dict.length).toBe(80);
    expectCanonical(col.dict);
  });

  it("keeps nulls null and values in place when nulls come first and between", async () => {
    const groups = [0, 1, 2].map((g) => cycle(set, 3000, g).map((v, i) => ((i + g) % 5 === 0 || (g === 0 && i < 700) ? null : v)));
    const { col, values } = await roundTrip("nulls", groups);
    expect(col.valid).not.toBeNull();
    expect(columnToArray(col)).toEqual(values);
    expectCanonical(col.dict);
  });

  it("leaves a column whose values outgrow SMALL_DICTIONARY to appended pages, values intact", async () => {
    const per = 1500, groups = 4;
    const { col, values } = await roundTrip("many", Array.from({ length: groups }, (_, g) => Array.from({ length: 3000 }, (_, i) => `v-${g}-${i % per}`)));
    expect(per * groups).toBeGreaterThan(SMALL_DICTIONARY);
    expect(columnToArray(col)).toEqual(values);
    expect(col.dict.length).toBeGreaterThanOrEqual(per * groups);
  });
});

describe("SmallDictionary", () => {
  const page = (values: string[]): Uint8Array => {
    const enc = new TextEncoder(), parts = values.map((v) => enc.encode(v));
    const out = new Uint8Array(parts.reduce((n, p) => n + 4 + p.length, 0));
    const view = new DataView(out.buffer);
    let at = 0;
    for (const p of parts) { view.setUint32(at, p.length, true); out.set(p, at + 4); at += 4 + p.length; }
    return out;
  };
  const strings = (c: StrColumn): string[] => columnToArray(c) as string[];

  it("maps a page's entries to canonical indices, renumbers once, and overflows without changing the values", () => {
    const d = new SmallDictionary(), table = new Int32Array(8);
    const p1 = page(["m", "c", "x"]);
    expect(d.addPage(p1, 0, p1.length, 3, table, false)).toEqual({ kind: "kept" });
    expect([...table.subarray(0, 3)]).toEqual([1, 0, 2]);
    const p2 = page(["x", "a", "m"]);
    const r = d.addPage(p2, 0, p2.length, 3, table, true);
    // c, m, x were 0, 1, 2; with a first they are 1, 2, 3.
    expect(r).toEqual({ kind: "renumbered", remap: Int32Array.from([1, 2, 3]) });
    expect([...table.subarray(0, 3)]).toEqual([3, 0, 2]);
    expect(strings(d.values)).toEqual(["a", "c", "m", "x"]);
    const p3 = page(["c", "x"]);
    expect(d.addPage(p3, 0, p3.length, 2, table, true)).toEqual({ kind: "kept" });
    expect([...table.subarray(0, 2)]).toEqual([1, 3]);
    const p4 = page(["b"]);
    expect(d.addPage(p4, 0, p4.length, 1, table, true)).toEqual({ kind: "overflow" });
    expect(strings(d.values)).toEqual(["a", "c", "m", "x"]);
  });
});
