// Time stacks: files on one grid become (time, band, y, x); mismatched files fail naming the file; chunks carry time.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readStackChunk, readStackMeta } from "../src/index.js";
import { gdal, pattern, tempDir, writeEnvi } from "./gdal.js";

const tmp = tempDir("stack");
afterAll(() => tmp.cleanup());

function make(name: string, seed: number, ullr = ["0", "100", "64", "36"], bands = 2): string {
  const raw = tmp.file(`${name}.bin`);
  writeEnvi(raw, 64, 64, Array.from({ length: bands }, (_, b) => pattern("uint16", 4096, seed + b)), "uint16");
  const out = tmp.file(`${name}.tif`);
  gdal("gdal_translate", ["-q", "-a_srs", "EPSG:32631", "-a_ullr", ...ullr, "-co", "TILED=YES", "-co", "BLOCKXSIZE=32", "-co", "BLOCKYSIZE=32", raw, out]);
  return out;
}

describe("raster stacks", () => {
  const t = (d: number): number => Date.UTC(2024, 0, d);
  let files: string[] = [];
  beforeAll(() => { files = [1, 2, 3, 4].map((i) => make(`d${i}`, i * 10)); });

  it("orders slices by time and reports the (time, band, y, x) shape", async () => {
    const meta = await readStackMeta([{ url: files[2]!, time: t(20) }, { url: files[0]!, time: t(5) }, { url: files[1]!, time: t(10) }]);
    expect(meta.items.map((i) => i.time)).toEqual([t(5), t(10), t(20)]);
    expect(meta.shape).toEqual([3, 2, 64, 64]);
    expect(meta.block).toEqual({ blockWidth: 32, blockHeight: 32 });
    const c = await readStackChunk(meta, 2, { window: { x: 32, y: 0, width: 32, height: 32 }, bands: [1] });
    expect(c.time).toBe(t(20));
    expect(c.data[0]![0]).toBe(pattern("uint16", 4096, 31)[32]);
  });

  it("refuses files on another grid or with other bands, and duplicate times, naming the file", async () => {
    const shifted = make("shifted", 1, ["1", "100", "65", "36"]);
    await expect(readStackMeta([{ url: files[0]!, time: 1 }, { url: shifted, time: 2 }])).rejects.toMatchObject({ code: "RASTER_STACK_MISMATCH", message: expect.stringContaining(shifted) });
    const oneBand = make("oneband", 1, undefined, 1);
    await expect(readStackMeta([{ url: files[0]!, time: 1 }, { url: oneBand, time: 2 }])).rejects.toMatchObject({ code: "RASTER_STACK_MISMATCH", message: expect.stringContaining(oneBand) });
    await expect(readStackMeta([{ url: files[0]!, time: 1 }, { url: files[1]!, time: 1 }])).rejects.toMatchObject({ code: "RASTER_DUPLICATE_TIME" });
    await expect(readStackMeta([])).rejects.toMatchObject({ code: "RASTER_EMPTY_STACK" });
  });
});
