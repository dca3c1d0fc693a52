// Zones from GeoJSON polygons and multipolygons (holes kept), moved into a raster's pixel space once at plan time.
import { PlanError } from "@tessera/common";
import type { Grid } from "../grid/grid.js";
import { invertAffine } from "../grid/affine.js";
import type { Window } from "../grid/window.js";
import { crsTransform } from "../warp/crs.js";

/**
 * A zone in the pixel space of one grid, as plain data: every ring (outer rings and holes of every polygon) as a
 * flat [x0, y0, x1, y1, ...] array of vertices, closed or not. Inside is decided by the even-odd rule over all rings,
 * as GDAL's rasterizer does.
 */
export interface PixelZone {
  readonly id: string | number;
  readonly rings: readonly (readonly number[])[];
}

type Position = readonly number[];
type PolygonCoords = readonly (readonly Position[])[];

interface GeoJsonGeometry { readonly type: string; readonly coordinates?: unknown }
interface GeoJsonFeature { readonly type: "Feature"; readonly id?: string | number; readonly properties?: Record<string, unknown> | null; readonly geometry: GeoJsonGeometry | null }

function bad(msg: string): PlanError {
  return new PlanError("RASTER_BAD_ZONES", `zones: ${msg}`);
}

function polygonsOf(g: GeoJsonGeometry | null, where: string): PolygonCoords[] {
  if (g === null) throw bad(`${where} has no geometry`);
  if (g.type === "Polygon") return [g.coordinates as PolygonCoords];
  if (g.type === "MultiPolygon") return g.coordinates as PolygonCoords[];
  throw bad(`${where} is a ${g.type}; zones must be Polygon or MultiPolygon`);
}

/**
 * Zones of a GeoJSON FeatureCollection, Feature or bare geometry, in `crs` coordinates (GeoJSON's own is EPSG:4326).
 * A zone's id is the property named `idProperty`, else the feature's id, else its index.
 */
export function zonesFromGeoJson(geojson: unknown, opts: { idProperty?: string } = {}): { id: string | number; polygons: PolygonCoords[] }[] {
  const g = geojson as { type?: string; features?: GeoJsonFeature[] };
  const features: GeoJsonFeature[] = g?.type === "FeatureCollection" ? g.features ?? []
    : g?.type === "Feature" ? [g as GeoJsonFeature] : [{ type: "Feature", geometry: g as GeoJsonGeometry }];
  return features.map((f, i) => {
    const prop = opts.idProperty === undefined ? undefined : f.properties?.[opts.idProperty];
    const id = typeof prop === "string" || typeof prop === "number" ? prop : f.id ?? i;
    const polygons = polygonsOf(f.geometry, `feature ${String(id)}`);
    for (const p of polygons) {
      for (const ring of p) {
        if (!Array.isArray(ring) || ring.length < 3) throw bad(`feature ${String(id)} has a ring of fewer than 3 positions`);
        for (const pos of ring) if (!Array.isArray(pos) || !Number.isFinite(pos[0]) || !Number.isFinite(pos[1])) throw bad(`feature ${String(id)} has a position that is not two numbers`);
      }
    }
    return { id, polygons };
  });
}

/**
 * Zones moved into `grid`'s pixel space: coordinates transformed from `crs` to the grid's CRS (vertices only; edges
 * stay straight in pixel space, as with gdal_rasterize), then by the inverse geotransform.
 */
export function zonesToPixels(zones: readonly { id: string | number; polygons: PolygonCoords[] }[], grid: Grid, crs = "EPSG:4326"): PixelZone[] {
  const toGrid = crsTransform(crs, grid.crs || crs);
  const inv = invertAffine(grid.transform);
  return zones.map((z) => ({
    id: z.id,
    rings: z.polygons.flatMap((p) => p.map((ring) => {
      const xs = Float64Array.from(ring, (pos) => pos[0] as number);
      const ys = Float64Array.from(ring, (pos) => pos[1] as number);
      toGrid(xs, ys);
      const flat: number[] = [];
      for (let i = 0; i < xs.length; i++) {
        const x = xs[i] as number;
        const y = ys[i] as number;
        flat.push(inv[0] + x * inv[1] + y * inv[2], inv[3] + x * inv[4] + y * inv[5]);
      }
      return flat;
    })),
  }));
}

/** The pixel window holding a zone's vertices, grown by one pixel (all-touched reaches the pixels its edges cross). */
export function zoneWindow(z: PixelZone): Window {
  let x0 = Infinity; let y0 = Infinity; let x1 = -Infinity; let y1 = -Infinity;
  for (const r of z.rings) {
    for (let i = 0; i + 1 < r.length; i += 2) {
      const x = r[i] as number; const y = r[i + 1] as number;
      if (x < x0) x0 = x; if (x > x1) x1 = x; if (y < y0) y0 = y; if (y > y1) y1 = y;
    }
  }
  if (!(x0 <= x1)) return { x: 0, y: 0, width: 0, height: 0 };
  const cx = Math.floor(x0) - 1;
  const cy = Math.floor(y0) - 1;
  return { x: cx, y: cy, width: Math.ceil(x1) + 1 - cx, height: Math.ceil(y1) + 1 - cy };
}
