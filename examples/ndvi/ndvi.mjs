// NDVI per area of interest per date: a time stack of COGs (red and NIR bands, clouds as nodata), NDVI by band math,
// then its mean, min, max and count of clear pixels in each area (GeoJSON, lon/lat), on the embedded default.
// Usage: node examples/ndvi/ndvi.mjs STACK_DIR [OUT_CSV]   (STACK_DIR made by make-stack.mjs)
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { closeDefaultClient, csvFromTable, openRasterStack } from "tessera";

const dir = process.argv[2];
if (dir === undefined) throw new Error("usage: node examples/ndvi/ndvi.mjs STACK_DIR [OUT_CSV]");
const out = process.argv[3] ?? join(dir, "ndvi-by-aoi.csv");

// One COG per date, named YYYY-MM-DD.tif.
const scenes = readdirSync(dir).filter((f) => /^\d{4}-\d{2}-\d{2}\.tif$/.test(f)).sort()
  .map((f) => ({ url: join(dir, f), time: f.slice(0, 10) }));
const aois = JSON.parse(readFileSync(new URL("./aois.json", import.meta.url), "utf8"));

const stack = openRasterStack(scenes, { chunkSize: 256 });
const red = stack.band("red").cast("float64");
const nir = stack.band("nir").cast("float64");
// A cloud (nodata in either band) leaves the pixel out: arithmetic with a missing value is missing.
const ndvi = stack.select(nir.sub(red).div(nir.add(red)).alias("ndvi"));

const perArea = ndvi.zonalStats(aois, { idProperty: "name", stats: ["count", "mean", "min", "max"] }).sort(["zone", "time"]);

console.log(await perArea.explain());
const table = await perArea.collect();
writeFileSync(out, csvFromTable(table));
for (const row of table.toArray()) {
  const r = row.toJSON();
  console.log(`${String(r.zone).padEnd(12)} ${new Date(Number(r.time)).toISOString().slice(0, 10)}  clear pixels ${String(r.count).padStart(6)}  mean NDVI ${r.mean?.toFixed(4) ?? "-"}`);
}
console.log(`wrote ${out}`);
await closeDefaultClient();
