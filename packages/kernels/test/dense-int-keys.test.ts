// Join keys of narrow integer ranges by direct addressing: the same matches as a key table, for every probe kind.
import { describe, expect, it } from "vitest";
import type { NumColumn, StrColumn } from "../src/column.js";
import { buildDenseIntKeys, probeDenseIntKeys } from "../src/dense-int-keys.js";
import { encodeColumn, newKeyTable } from "../src/key-table.js";
import { buildHashIndex, probeKeyCodes } from "../src/hash-index.js";
import { rng } from "./helpers.js";

function num(type: NumColumn["type"], values: NumColumn["values"], valid: Uint8Array | null = null): NumColumn {
  return { kind: "num", type, length: values.length, values, valid } as NumColumn;
}

/** Probe codes agree with a key table's when both name the build's distinct keys the same way (by first row). */
function expectSameMatches(build: NumColumn, probes: NumColumn[]): void {
  const dense = buildDenseIntKeys(build);
  expect(dense).not.toBeNull();
  const t = newKeyTable("int");
  const tableCodes = encodeColumn(t, build, true).slice();
  expect(Array.from(dense!.codes)).toEqual(Array.from(tableCodes));
  expect(dense!.keys.count).toBe(t.count);
  for (const p of probes) expect(Array.from(probeDenseIntKeys(dense!.keys, p))).toEqual(Array.from(encodeColumn(t, p, false)));
}

describe("dense int keys", () => {
  it("code build and probe rows as a key table does: nulls, misses below and above the range, every int width", () => {
    const r = rng(3);
    const n = 4000;
    const vals = Array.from({ length: n }, () => 1000 + Math.floor(r() * 3000));
    const valid = Uint8Array.from({ length: n }, () => (r() < 0.05 ? 0 : 1));
    const build = num("int32", Int32Array.from(vals), valid);
    const probeVals = Array.from({ length: 5000 }, () => Math.floor(r() * 5000));
    const probeValid = Uint8Array.from({ length: 5000 }, () => (r() < 0.05 ? 0 : 1));
    expectSameMatches(build, [
      num("int32", Int32Array.from(probeVals), probeValid),
      num("int16", Int16Array.from(probeVals)),
      num("uint32", Uint32Array.from(probeVals)),
      num("int64", BigInt64Array.from(probeVals.map((v, i) => (i % 7 === 0 ? 2n ** 62n + BigInt(v) : BigInt(v))))),
      // Floats match only where they are exact integers.
      num("float64", Float64Array.from(probeVals.map((v, i) => (i % 5 === 0 ? v + 0.5 : i % 11 === 0 ? NaN : v)))),
      num("null", new Int32Array(3), new Uint8Array(3)),
    ]);
  });

  it("code negative and 64-bit build keys", () => {
    const vals = [-5, 7, -5, 0, 12, 7];
    const build = num("int64", BigInt64Array.from([-5n, 7n, -5n, 0n, 12n, 7n, -(2n ** 40n) + 3n, -(2n ** 40n) + 3n]));
    // Spanning 2^40 is too wide; without the outlier it is dense.
    expect(buildDenseIntKeys(build)).toBeNull();
    const narrow = num("int64", BigInt64Array.from(vals.map(BigInt)));
    expectSameMatches(narrow, [num("int32", Int32Array.of(-5, -4, 0, 7, 12, 13)), num("int8", Int8Array.of(-6, 12, 7))]);
  });

  it("leave wide ranges, floats and values past 2^52 to key tables", () => {
    expect(buildDenseIntKeys(num("int32", Int32Array.of(0, 1 << 20)))).toBeNull();
    expect(buildDenseIntKeys(num("int32", Int32Array.of(0, (1 << 16) - 1)))).not.toBeNull();
    expect(buildDenseIntKeys(num("int32", Int32Array.from({ length: 1000 }, (_, i) => i * 6)))).not.toBeNull();
    expect(buildDenseIntKeys(num("int32", Int32Array.from({ length: 20000 }, (_, i) => i * 7)))).toBeNull();
    expect(buildDenseIntKeys(num("float64", Float64Array.of(1, 2)))).toBeNull();
    expect(buildDenseIntKeys(num("int64", BigInt64Array.of(2n ** 53n, 2n ** 53n + 1n)))).toBeNull();
  });

  it("a hash index over a narrow int key and a string key finds the same build rows as over a wide one", () => {
    const r = rng(9);
    const n = 3000;
    const ints = Array.from({ length: n }, () => Math.floor(r() * 500));
    const words = (m: number): string[] => Array.from({ length: m }, () => `w${Math.floor(r() * 7)}`);
    const buildWords = strColumn(words(n));
    const narrow = buildHashIndex([num("int32", Int32Array.from(ints)), buildWords]);
    expect(narrow.keys.map((k) => k.kind)).toEqual(["dense", "table"]);
    // The last build row moved far away makes the range too wide: a key table.
    const wide = buildHashIndex([num("int32", Int32Array.from([...ints.slice(0, -1), 2 ** 30])), buildWords]);
    expect(wide.keys.map((k) => k.kind)).toEqual(["table", "table"]);
    const probe = [num("int32", Int32Array.from({ length: 1000 }, () => Math.floor(r() * 600))), strColumn(words(1000))];
    // Codes name keys differently in the two indexes; each probe row's build rows (but the moved one) must agree.
    const rowsOf = (ix: typeof narrow): number[][] =>
      Array.from(probeKeyCodes(ix, probe), (k) => (k < 0 ? [] : Array.from(ix.rows.subarray(ix.start[k], ix.start[k + 1])).filter((i) => i !== n - 1)));
    const got = rowsOf(narrow);
    expect(got).toEqual(rowsOf(wide));
    expect(got.filter((rows) => rows.length > 0).length).toBeGreaterThan(300);
  });
});

function strColumn(words: string[]): StrColumn {
  const parts = words.map((w) => new TextEncoder().encode(w));
  const offsets = new Int32Array(words.length + 1);
  parts.forEach((p, i) => { offsets[i + 1] = (offsets[i] as number) + p.length; });
  const bytes = new Uint8Array(offsets[words.length] as number);
  parts.forEach((p, i) => bytes.set(p, offsets[i] as number));
  return { kind: "str", type: "utf8", length: words.length, offsets, bytes, valid: null };
}
