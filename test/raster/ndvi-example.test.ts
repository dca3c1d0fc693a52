// The NDVI example (examples/ndvi/) run as a user runs it, on the embedded default: its table of NDVI per area of
// interest per date equals one computed independently from GDAL's reading of the scenes and gdal_rasterize's masks.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { gdal, tempDir } from "./support.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const EXAMPLE = join(ROOT, "examples/ndvi");
const tmp = tempDir("e2e-ndvi");
afterAll(() => tmp.cleanup());

/** A raster's bands as GDAL reads them (band-sequential raw dump), as float64. */
function gdalBands(file: string, bands: number, ot: "UInt16" | "Byte"): Float64Array[] {
  const dump = `${file}.bin`;
  gdal("gdal_translate", ["-q", "-of", "ENVI", "-co", "INTERLEAVE=BSQ", "-ot", ot, file, dump]);
  const raw = readFileSync(dump);
  const all = ot === "UInt16" ? new Uint16Array(raw.buffer, raw.byteOffset, raw.byteLength / 2) : new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  const n = all.length / bands;
  return Array.from({ length: bands }, (_, b) => Float64Array.from(all.subarray(b * n, (b + 1) * n)));
}

describe("examples/ndvi", () => {
  it("prints and writes NDVI per area per date equal to an independent computation (GDAL reads and masks, plain arrays)", () => {
    const dir = tmp.file("stack");
    const items = JSON.parse(execFileSync(process.execPath, [join(EXAMPLE, "make-stack.mjs"), dir], { encoding: "utf8" })) as { url: string; time: string }[];
    expect(items).toHaveLength(4);
    const csv = tmp.file("ndvi.csv");
    const stdout = execFileSync(process.execPath, [join(EXAMPLE, "ndvi.mjs"), dir, csv], { encoding: "utf8", cwd: ROOT, timeout: 120_000 });
    expect(stdout).toMatch(/RasterScan stack files=4/);
    expect(stdout).toMatch(/bands=\[red, nir\]/);
    const [header, ...lines] = readFileSync(csv, "utf8").trim().split("\n");
    expect(header).toBe("zone,time,band,count,mean,min,max");
    const got = lines.map((l) => l.split(","));

    const aois = JSON.parse(readFileSync(join(EXAMPLE, "aois.json"), "utf8")) as { features: { properties: { name: string } }[] };
    const names = aois.features.map((f) => f.properties.name).sort();
    const want: string[][] = [];
    const masks = new Map<string, Float64Array>();
    for (const name of names) {
      const mask = tmp.file(`${name.replace(/\W/g, "_")}.tif`);
      gdal("gdal_create", ["-q", "-if", items[0]!.url, "-bands", "1", "-ot", "Byte", "-burn", "0", "-a_nodata", "255", mask]);
      gdal("gdal_rasterize", ["-q", "-burn", "1", "-where", `name='${name}'`, join(EXAMPLE, "aois.json"), mask]);
      masks.set(name, gdalBands(mask, 1, "Byte")[0]!);
    }
    const scenes = items.map((it) => gdalBands(it.url, 2, "UInt16"));
    for (const name of names) {
      const mask = masks.get(name)!;
      items.forEach((it, t) => {
        const [red, nir] = scenes[t] as [Float64Array, Float64Array];
        let count = 0; let sum = 0; let min = Infinity; let max = -Infinity;
        for (let i = 0; i < mask.length; i++) {
          if (mask[i] !== 1 || red[i] === 0 || nir[i] === 0) continue;
          const v = (nir[i]! - red[i]!) / (nir[i]! + red[i]!);
          count++; sum += v; min = Math.min(min, v); max = Math.max(max, v);
        }
        want.push([name, `${it.time}T00:00:00`, "ndvi", String(count), String(sum / count), String(min), String(max)]);
      });
    }
    expect(got.map((r) => r.slice(0, 4))).toEqual(want.map((r) => r.slice(0, 4)));
    got.forEach((r, i) => {
      const w = want[i]!;
      expect(Number(r[3])).toBeGreaterThan(1000);
      expect(Math.abs(Number(r[4]) - Number(w[4]))).toBeLessThanOrEqual(1e-12);
      expect(Number(r[5])).toBe(Number(w[5]));
      expect(Number(r[6])).toBe(Number(w[6]));
    });
    // Clouds differ per date: some area loses pixels on some date.
    expect(new Set(got.filter((r) => r[0] === names[0]).map((r) => r[3])).size).toBeGreaterThan(1);
  });
});
