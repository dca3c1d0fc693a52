// Tile maths expressions (deg2num, parent cells, bins) and tileBins, against the spec's vectors and DuckDB.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { col, fromArrow, fromColumns, len, tile, tileBins } from "tessera";
import { tableFromArrays } from "apache-arrow";
import { mulberry32 } from "@tessera/common";
import { expectSameRows } from "../support/compare.js";
import { closeDuck, duckRows, duckRun } from "../support/duck.js";
import { collectRows, failure } from "../support/engine.js";

describe("tile expressions", () => {
  it("deg2num at zoom 14 gives the reference tiles (truncating toward zero)", async () => {
    const pts = fromColumns({ lat: [10.168, 10.167, 10.166, 9.55, 9.555], lng: [40.646, 40.645, 40.644, 31.65, 31.655] });
    const rows = await collectRows(pts.select(tile.x("lng", 14).alias("x"), tile.y("lat", 14).alias("y")));
    expect(rows.map((r) => [r["x"], r["y"]])).toEqual([[10041, 7726], [10041, 7726], [10041, 7726], [9632, 7755], [9632, 7755]]);
  });

  it("parent cells and bins give the reference tiles and bins at zooms 0, 1 and 8", async () => {
    const cells = fromColumns({ x14: [10041, 9632], y14: [7726, 7755] }).select(col("x14").cast("int32"), col("y14").cast("int32"));
    const at = (z: number) => cells.select(
      tile.parent("x14", 14 - z).alias("tx"), tile.parent("y14", 14 - z).alias("ty"),
      tile.bin(tile.parent("x14", 8 - z), tile.parent("y14", 8 - z), 6).alias("bin"),
    );
    const flat = async (z: number) => (await collectRows(at(z))).map((r) => [r["tx"], r["ty"], r["bin"]]);
    expect(await flat(0)).toEqual([[0, 0, 1959], [0, 0, 1957]]);
    expect(await flat(1)).toEqual([[1, 0, 3854], [1, 0, 3851]]);
    expect(await flat(8)).toEqual([[156, 120, 3001], [150, 121, 736]]);
  });

  it("does not clamp: polar latitudes leave 0..2^z-1, longitude 180 gives 2^z, negatives floor into their own tile", async () => {
    const pts = fromColumns({ lat: [89, -89, 0, 85.0511], lng: [-180, 179.9, 180, 0] });
    const rows = await collectRows(pts.select(tile.x("lng", 2).alias("x"), tile.y("lat", 2).alias("y"),
      tile.parent(tile.y("lat", 8), 6).alias("ty"), tile.bin(tile.x("lng", 8), tile.y("lat", 8), 6).alias("bin")));
    expect(rows.map((r) => r["x"])).toEqual([0, 3, 4, 2]);
    const y = rows.map((r) => r["y"] as number);
    expect(y[0]).toBeLessThan(0);
    expect(y[1]).toBeGreaterThanOrEqual(4);
    expect(y[3]).toBe(0);
    // A cell at -3 (north of the map) is in tile -1 at column 61 of its 64 bins.
    const neg = await collectRows(fromColumns({ c: [-3, -64, -65, 63, 64] }).select(col("c").cast("int32")).select(tile.parent("c", 6).alias("t"), tile.bin("c", "c", 6).alias("b")));
    expect(neg.map((r) => [r["t"], r["b"]])).toEqual([[-1, 61 + 61 * 64], [-1, 0], [-2, 63 + 63 * 64], [0, 63 + 63 * 64], [1, 0]]);
  });

  it("null and NaN coordinates give null tiles", async () => {
    const rows = await collectRows(fromColumns({ lat: [null, NaN, 1], lng: [1, 2, null] }).select(tile.x("lng", 3).alias("x"), tile.y("lat", 3).alias("y")));
    expect(rows.map((r) => [r["x"], r["y"]])).toEqual([[4, null], [4, null], [null, 3]]);
  });

  it("refuses bad zooms and non-numeric columns at plan time", async () => {
    expect(() => tile.x("lng", 31)).toThrow(/tile.x zoom/);
    expect(() => tile.bin("a", "b", 1.5)).toThrow(/binLevel/);
    const e = await failure(() => fromColumns({ s: ["a"] }).select(tile.y("s", 3)).collect());
    expect(e.code).toBe("TYPE_MISMATCH");
    const f = await failure(() => fromColumns({ lat: [1.5] }).select(tile.parent("lat", 3)).collect());
    expect(f.code).toBe("TYPE_MISMATCH");
  });
});

describe("tile expressions and tileBins against DuckDB", () => {
  const N = 20_000;
  beforeAll(async () => {
    const rnd = mulberry32(7);
    const lat = Float64Array.from({ length: N }, () => (rnd() - 0.5) * 178);
    const lng = Float64Array.from({ length: N }, () => (rnd() - 0.5) * 360);
    const v = Float64Array.from({ length: N }, () => Math.round(rnd() * 1000) / 10);
    const g = Int32Array.from({ length: N }, () => Math.floor(rnd() * 3));
    pointsTable = tableFromArrays({ lat, lng, v, g });
    await duckRun("CREATE TABLE pts (lat DOUBLE, lng DOUBLE, v DOUBLE, g INTEGER)");
    // Doubles as strings: DuckDB parses those exactly (a bare literal would be a DECIMAL, rounded on the way to DOUBLE).
    const values = Array.from({ length: N }, (_, i) => `('${lat[i]}'::DOUBLE, '${lng[i]}'::DOUBLE, '${v[i]}'::DOUBLE, ${g[i]})`);
    for (let i = 0; i < N; i += 5000) await duckRun(`INSERT INTO pts VALUES ${values.slice(i, i + 5000).join(",")}`);
  });
  afterAll(closeDuck);
  let pointsTable: ReturnType<typeof tableFromArrays>;

  const X14 = "trunc((lng + 180) / 360 * 16384)::INTEGER";
  const Y14 = "trunc((1 - asinh(tan(lat * (pi() / 180))) / pi()) / 2 * 16384)::INTEGER";

  it("tile.x and tile.y equal the formula evaluated by DuckDB (C's libm, as the reference) on 20,000 points", async () => {
    const frame = fromArrow(pointsTable, { partitions: 3 });
    const actual = await collectRows(frame.select(col("lat"), col("lng"), tile.x("lng", 14).alias("x"), tile.y("lat", 14).alias("y")));
    const expected = await duckRows(`SELECT lat, lng, ${X14} AS x, ${Y14} AS y FROM pts`);
    expectSameRows(actual, expected, { keys: ["lat", "lng"], exact: true });
  });

  it("tileBins at zooms 0..8 with 64x64 bins equals DuckDB's GROUP BY over the same cells", async () => {
    const frame = fromArrow(pointsTable, { partitions: 3 });
    const bins = tileBins(frame, { lat: "lat", lng: "lng", zoom: [0, 3, 8], binLevel: 6, by: ["g"], aggs: [col("v").sum().alias("s"), len().alias("n")] });
    const actual = await collectRows(bins);
    const expected = await duckRows(`WITH c AS (SELECT g, v, ${X14} AS x14, ${Y14} AS y14 FROM pts), z AS (SELECT unnest([0, 3, 8]) AS z)
      SELECT g, z::INTEGER AS z, (x14 >> (14 - z))::INTEGER AS x, (y14 >> (14 - z))::INTEGER AS y,
        (((x14 >> (8 - z)) & 63) + ((y14 >> (8 - z)) & 63) * 64)::INTEGER AS bin, sum(v) AS s, count(*) AS n
      FROM c, z GROUP BY ALL`);
    expectSameRows(actual, expected, { keys: ["g", "z", "x", "y", "bin"] });
    expect(actual.length).toBeGreaterThan(20_000);
  });

  it("tileBins over cells numbered at a precision equals tileBins over the coordinates", async () => {
    const frame = fromArrow(pointsTable, { partitions: 2 });
    const direct = tileBins(frame, { lat: "lat", lng: "lng", zoom: [2, 5], binLevel: 4, precision: 12, aggs: [len().alias("n")] });
    const cells = frame.select(tile.x("lng", 12).alias("cx"), tile.y("lat", 12).alias("cy")).groupBy("cx", "cy").agg(len().alias("k"));
    const viaCells = tileBins(cells, { cellX: "cx", cellY: "cy", precision: 12, zoom: [2, 5], binLevel: 4, aggs: [col("k").sum().alias("n")] });
    expectSameRows(await collectRows(viaCells), await collectRows(direct), { keys: ["z", "x", "y", "bin"], exact: true });
  });

  it("refuses a zoom finer than the precision allows", () => {
    expect(() => tileBins(fromColumns({ a: [1] }), { cellX: "a", cellY: "a", precision: 10, zoom: 5, binLevel: 6 })).toThrow(/finer than precision/);
  });
});
