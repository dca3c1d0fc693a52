// A tile pyramid's commit point: the manifest lists every tile written, is checked against what is stored, replaces
// the previous one last, and the previous pyramid's tiles that are no longer listed are deleted.
import { existsSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeGrid, makeTileManifest, publishTiles, readTileManifest, retractTiles, tileRange, tilesCovering, verifyTiles } from "../src/index.js";
import { tempDir } from "./gdal.js";

const tmp = tempDir("pyramid");
afterAll(() => tmp.cleanup());

function put(dir: string, path: string, bytes: string): void {
  mkdirSync(join(dir, path, ".."), { recursive: true });
  writeFileSync(join(dir, path), bytes);
}

describe("tile pyramid commit", () => {
  it("verifies tiles, publishes the manifest and removes tiles the new pyramid no longer lists", async () => {
    const dir = tmp.file("p");
    put(dir, "1/0/0.png", "aa");
    put(dir, "1/1/0.png", "bbb");
    const first = makeTileManifest({ format: "png", token: "t1", minZoom: 1, maxZoom: 1 }, [{ path: "1/1/0.png", bytes: 3 }, { path: "1/0/0.png", bytes: 2 }]);
    expect(first.tiles.map((t) => t.path)).toEqual(["1/0/0.png", "1/1/0.png"]);
    expect(first.bytes).toBe(5);
    await verifyTiles(dir, first.tiles);
    await publishTiles(dir, first, null);
    expect(await readTileManifest(dir)).toEqual(first);

    const previous = await retractTiles(dir);
    expect(previous).toEqual(first);
    expect(existsSync(join(dir, "_SUCCESS"))).toBe(false);
    put(dir, "1/1/0.png", "cccc");
    const second = makeTileManifest({ format: "png", token: "t2", minZoom: 1, maxZoom: 1 }, [{ path: "1/1/0.png", bytes: 4 }]);
    await expect(verifyTiles(dir, [{ path: "1/1/0.png", bytes: 3 }])).rejects.toMatchObject({ code: "IO_COMMIT", message: expect.stringContaining("1/1/0.png") });
    await expect(verifyTiles(dir, [{ path: "2/0/0.png", bytes: 1 }])).rejects.toMatchObject({ code: "IO_COMMIT", message: expect.stringContaining("missing") });
    await publishTiles(dir, second, previous);
    expect(existsSync(join(dir, "1/0/0.png"))).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, "_SUCCESS"), "utf8")).token).toBe("t2");
  });

  it("a manifest that is not a tile manifest, or lists paths outside z/x/y, is not taken for one", async () => {
    const dir = tmp.file("q");
    put(dir, "_SUCCESS", JSON.stringify({ version: 1, kind: "tiles", tiles: [{ path: "../../etc/passwd", bytes: 1 }] }));
    expect(await readTileManifest(dir)).toBeNull();
    put(dir, "_SUCCESS", JSON.stringify({ version: 1, format: "parquet", files: [] }));
    expect(await readTileManifest(dir)).toBeNull();
    expect(await readTileManifest(tmp.file("none"))).toBeNull();
  });
});

describe("tile ranges", () => {
  it("count the tiles covering a grid at a zoom without listing them", () => {
    const g = makeGrid("EPSG:4326", [10, 0.002, 0, 50, 0, -0.002], 1000, 1000);
    for (const z of [0, 5, 9, 12]) {
      const r = tileRange(g, z);
      expect((r.x1 - r.x0 + 1) * (r.y1 - r.y0 + 1)).toBe(tilesCovering(g, z).length);
    }
  });
});
