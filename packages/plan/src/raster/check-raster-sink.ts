// A raster sink checked against the raster it writes, at plan time: one time slice, one pixel type for a GeoTIFF,
// an EPSG CRS to write, a band and zoom range for tiles, a colormap where PNG needs one.
import { PlanError, checkChoice } from "@tessera/common";
import { MAX_RASTER_PIXELS } from "@tessera/ops";
import { RESAMPLING, checkColormap, crsTransform, geoTags, planTiles, tileRange } from "@tessera/raster";
import type { RasterInfo } from "./raster-info.js";
import type { RasterSink } from "./raster-nodes.js";

/** Most tiles one sinkTiles job writes (each is a task). */
export const MAX_TILES = 1_000_000;

export function checkRasterSink(sink: RasterSink, info: RasterInfo): void {
  checkChoice("BAD_OPTION", "raster sink", (sink as { t?: unknown }).t, ["geotiff", "tiles"]);
  if (typeof sink.url !== "string" || sink.url === "") throw new PlanError("BAD_OPTION", "a raster sink needs a URL");
  if (info.times.length !== 1) {
    throw new PlanError("RASTER_TIME_DIMENSION", `${info.where} has ${info.times.length} time slices; reduce over time (reduceTime) before writing a GeoTIFF or tiles`);
  }
  if (sink.t === "geotiff") {
    const types = new Set(info.bands.map((b) => b.dtype));
    if (types.size > 1) {
      throw new PlanError("RASTER_MIXED_TYPES", `a GeoTIFF holds one pixel type, but the bands are ${info.bands.map((b) => `${b.name}: ${b.dtype}`).join(", ")}; cast them first`);
    }
    if (info.grid.width * info.grid.height > MAX_RASTER_PIXELS) {
      throw new PlanError("RASTER_TOO_LARGE", `a GeoTIFF of ${info.grid.width}×${info.grid.height} pixels is over the ${MAX_RASTER_PIXELS}-pixel bound of one write`);
    }
    geoTags(info.grid);
    return;
  }
  checkChoice("BAD_OPTION", "tile format", sink.format, ["png", "f32"]);
  checkChoice("BAD_OPTION", "tile resampling", sink.resampling, Object.keys(RESAMPLING));
  const band = sink.band ?? info.bands[0]?.name;
  const spec = info.bands.find((b) => b.name === band);
  if (spec === undefined) throw new PlanError("RASTER_UNKNOWN_BAND", `band "${String(band)}" not found in ${info.where}; bands: ${info.bands.map((b) => b.name).join(", ")}`, { band });
  if (!(Number.isInteger(sink.tileSize) && sink.tileSize >= 16 && sink.tileSize <= 4096)) throw new PlanError("BAD_OPTION", `tileSize must be a whole number in 16..4096, got ${String(sink.tileSize)}`);
  if (sink.format === "png") {
    if (sink.colormap === null && spec.dtype !== "uint8") {
      throw new PlanError("RASTER_NEEDS_COLORMAP", `PNG tiles of ${spec.dtype} band "${spec.name}" need a colormap (only 8-bit bands are drawn as grey without one)`);
    }
    if (sink.colormap !== null) checkColormap(sink.colormap);
  }
  crsTransform(info.grid.crs, "EPSG:3857", info.where);
  if (!(Number.isInteger(sink.minZoom) && Number.isInteger(sink.maxZoom) && sink.minZoom >= 0 && sink.maxZoom >= sink.minZoom && sink.maxZoom <= 24)) {
    throw new PlanError("RASTER_BAD_ZOOM", `zoom range ${String(sink.minZoom)}..${String(sink.maxZoom)} must be whole numbers within 0..24, in order`);
  }
  let tiles = 0;
  for (let z = sink.minZoom; z <= sink.maxZoom; z++) {
    const r = tileRange(info.grid, z);
    tiles += (r.x1 - r.x0 + 1) * (r.y1 - r.y0 + 1);
  }
  if (tiles > MAX_TILES) throw new PlanError("RASTER_TOO_MANY_TILES", `zooms ${sink.minZoom}..${sink.maxZoom} over ${info.where} make ${tiles} tiles, over the ${MAX_TILES} one job writes; lower maxZoom`);
  planTiles(info.grid, { minZoom: sink.minZoom, maxZoom: sink.maxZoom, tileSize: sink.tileSize, resampling: sink.resampling }, info.where);
}
