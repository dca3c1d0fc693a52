// The Causemos tile protobuf: the spec's worked bytes, the golden tiles against their decoded listing, round trips.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { causemosTileEncoder, decodeCausemosTile, encodeCausemosTile, encodeCausemosTileWithProtobufjs } from "@tessera/causemos";
import { fixture } from "./fixtures.js";

const WORKED = Uint8Array.from(("0a06084e103b1807" + "1225" + "0a20" + "08f819" + "121b" + "210000000000003f40" + "29000000000000f03f" + "31000000000000f03f" + "108020")
  .match(/../g)!.map((h) => parseInt(h, 16)));

describe("Causemos tile protobuf", () => {
  it("decodes the spec's 47-byte tile 1606780800000-7-78-59", () => {
    expect(WORKED.length).toBe(47);
    const t = decodeCausemosTile(WORKED);
    expect(t.coord).toEqual({ x: 78, y: 59, z: 7, t: 0 });
    expect(t.totalBins).toBe(4096);
    expect([...t.bins.entries()]).toEqual([[3320, { count: 0, sum: 0, avg: 0, s_sum_t_sum: 31, s_sum_t_mean: 1, weight: 1 }]]);
  });

  it("encodes that content to exactly those bytes", () => {
    const bytes = encodeCausemosTile({ z: 7, x: 78, y: 59, binLevel: 6, bins: Int32Array.of(3320),
      values: { s_sum_t_sum: Float64Array.of(31), s_sum_t_mean: Float64Array.of(1), weight: Float64Array.of(1) } });
    expect(Buffer.from(bytes).toString("hex")).toBe(Buffer.from(WORKED).toString("hex"));
    expect(causemosTileEncoder.extension).toBe("tile");
  });

  it("decodes every golden tile to the fixture's decoded listing, and re-encodes each to the same content", () => {
    const lines = gunzipSync(readFileSync(fixture("golden-geo.tiles.jsonl.gz"))).toString("utf8").trim().split("\n");
    expect(lines.length).toBe(216);
    for (const line of lines) {
      const want = JSON.parse(line) as { path: string; z: number; x: number; y: number; totalBins: number; bins: Record<string, { s_sum_t_sum: number; s_sum_t_mean: number; weight: number }> };
      const got = decodeCausemosTile(readFileSync(fixture("golden-geo", want.path)), want.path);
      expect({ z: got.coord.z, x: got.coord.x, y: got.coord.y, totalBins: got.totalBins }).toEqual({ z: want.z, x: want.x, y: want.y, totalBins: want.totalBins });
      const bins = Object.fromEntries([...got.bins].map(([k, s]) => [String(k), { s_sum_t_sum: s.s_sum_t_sum, s_sum_t_mean: s.s_sum_t_mean, weight: s.weight }]));
      expect(bins).toEqual(want.bins);
      const keys = [...got.bins.keys()];
      const again = decodeCausemosTile(encodeCausemosTile({ z: got.coord.z, x: got.coord.x, y: got.coord.y, binLevel: 6, bins: Int32Array.from(keys),
        values: { s_sum_t_sum: Float64Array.from(keys, (k) => got.bins.get(k)!.s_sum_t_sum), s_sum_t_mean: Float64Array.from(keys, (k) => got.bins.get(k)!.s_sum_t_mean), weight: Float64Array.from(keys, (k) => got.bins.get(k)!.weight) } }));
      expect(again).toEqual(got);
    }
  });

  it("refuses negative tiles, missing values and bytes that are not a tile", () => {
    const values = { s_sum_t_sum: Float64Array.of(1), s_sum_t_mean: Float64Array.of(1), weight: Float64Array.of(1) };
    expect(() => encodeCausemosTile({ z: 1, x: -1, y: 0, binLevel: 6, bins: Int32Array.of(0), values })).toThrow(/non-negative/);
    expect(() => encodeCausemosTile({ z: 1, x: 0, y: 0, binLevel: 6, bins: Int32Array.of(0), values: { weight: values.weight } })).toThrow(/s_sum_t_sum/);
    expect(() => decodeCausemosTile(Uint8Array.of(0x0a, 0x50, 1), "x.tile")).toThrow(/x.tile/);
  });

  it("writes the bytes protobufjs writes for the same tile (zero scalars left out, bins ascending), and refuses negative tiles", () => {
    let seed = 7;
    const rnd = (): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
    for (let t = 0; t < 500; t++) {
      const n = 1 + Math.floor(rnd() * 60);
      const bins = Int32Array.from(new Set(Array.from({ length: n }, () => Math.floor(rnd() * 4096)))).sort();
      const v = () => Float64Array.from(bins, () => (rnd() < 0.2 ? 0 : (rnd() - 0.3) * 10 ** Math.floor(rnd() * 8)));
      const tile = { z: Math.floor(rnd() * 9), x: rnd() < 0.1 ? 0 : Math.floor(rnd() * 70000), y: Math.floor(rnd() * 300), binLevel: 6, bins,
        values: { s_sum_t_sum: v(), s_sum_t_mean: v(), weight: v() } };
      expect(Buffer.from(encodeCausemosTile(tile)).toString("hex")).toBe(Buffer.from(encodeCausemosTileWithProtobufjs(tile)).toString("hex"));
    }
    const one = { bins: Int32Array.of(1), values: { s_sum_t_sum: Float64Array.of(1), s_sum_t_mean: Float64Array.of(1), weight: Float64Array.of(1) }, binLevel: 6 };
    expect(() => encodeCausemosTile({ ...one, z: 1, x: -1, y: 0 })).toThrow(/non-negative/);
    expect(() => encodeCausemosTile({ ...one, z: 1, x: 0, y: 0, values: { s_sum_t_sum: Float64Array.of(1) } })).toThrow(/"s_sum_t_mean" is missing/);
  });
});
