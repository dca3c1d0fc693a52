// Reads raster headers at plan time (grid, bands, pixel type, blocks, overviews; one HEAD and usually one ranged GET
// per file, never a listing), and resolves the frames a raster rasterizes.
import { PlanError } from "@tessera/common";
import { readRasterMeta, readStackMeta } from "@tessera/raster";
import type { PlanNode, RasterNode } from "../nodes.js";
import type { RasterScanNode, ResolvedRasterSource } from "./raster-nodes.js";
import { isResolvedRaster, rasterInput, withRasterInput } from "./raster-nodes.js";

/** Resolves a frame plan (supplied by resolve-sources.ts, so this module needs no import of it). */
export type ResolveFrame = (p: PlanNode) => Promise<PlanNode>;

async function resolveScan(n: RasterScanNode): Promise<RasterScanNode> {
  const s = n.source;
  if (isResolvedRaster(s)) return n;
  let source: ResolvedRasterSource;
  if (s.format === "geotiff") {
    if (typeof s.url !== "string" || s.url === "") throw new PlanError("RASTER_BAD_SOURCE", "openRaster needs a URL");
    source = { format: "geotiff", url: s.url, meta: await readRasterMeta(s.url) };
  } else {
    const meta = await readStackMeta(s.items);
    source = { format: "stack", items: s.items, meta, first: await readRasterMeta((meta.items[0] as { url: string }).url) };
  }
  return { ...n, source };
}

/** Every scan of the raster with its headers read, every rasterized frame resolved. */
export async function resolveRaster(n: RasterNode, resolveFrame: ResolveFrame): Promise<RasterNode> {
  if (n.kind === "rasterScan") return resolveScan(n);
  if (n.kind === "rasterize") return { ...n, frame: await resolveFrame(n.frame) };
  const input = rasterInput(n);
  return input === null ? n : withRasterInput(n, await resolveRaster(input, resolveFrame));
}
