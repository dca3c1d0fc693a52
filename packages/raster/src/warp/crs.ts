// Coordinate transforms between CRSs: identity, EPSG:4326 ⇄ EPSG:3857 natively (PROJ's spherical formulas, same
// operation order, so warps match GDAL bit for bit), and the rest through proj4 (UTM zones and PROJ strings).
import { PlanError } from "@tessera/common";
import proj4 from "proj4";

/** Transforms coordinates in place from one CRS to another; an unmappable point becomes NaN. x is easting or longitude. */
export type CoordTransform = (xs: Float64Array, ys: Float64Array) => void;

/** WGS 84 / Pseudo-Mercator's sphere radius, and the unit conversions PROJ's pipeline applies. */
const A = 6378137;
const RA = 1 / A;
const RAD_TO_DEG = 1 / 0.017453292519943295;
const DEG_TO_RAD = 0.017453292519943295;

const mercatorToLonLat: CoordTransform = (xs, ys) => {
  for (let i = 0; i < xs.length; i++) {
    xs[i] = (xs[i] as number) * RA * RAD_TO_DEG;
    ys[i] = Math.atan(Math.sinh((ys[i] as number) * RA)) * RAD_TO_DEG;
  }
};

const lonLatToMercator: CoordTransform = (xs, ys) => {
  for (let i = 0; i < xs.length; i++) {
    const phi = (ys[i] as number) * DEG_TO_RAD;
    xs[i] = A * ((xs[i] as number) * DEG_TO_RAD);
    // Beyond ±90° (and at the poles) Mercator has no y.
    ys[i] = Math.abs(phi) < Math.PI / 2 ? A * Math.asinh(Math.tan(phi)) : Number.NaN;
  }
};

/** Normalizes spellings of the CRSs handled natively. */
function canonical(crs: string): string {
  const c = crs.trim().toUpperCase();
  if (c === "EPSG:900913" || c === "EPSG:3785" || c === "EPSG:102100") return "EPSG:3857";
  if (c === "OGC:CRS84" || c === "WGS84") return "EPSG:4326";
  return c.startsWith("EPSG:") ? c : crs.trim();
}

/** A proj4 definition for a CRS: EPSG:4326 / 3857, WGS 84 UTM zones (EPSG:326xx north, 327xx south), or a PROJ string. */
function proj4Definition(crs: string): string | null {
  const c = canonical(crs);
  if (c === "EPSG:4326") return "+proj=longlat +datum=WGS84 +no_defs";
  if (c === "EPSG:3857") return "+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs";
  const utm = /^EPSG:32([67])(\d\d)$/.exec(c);
  if (utm !== null) {
    const zone = Number(utm[2]);
    if (zone >= 1 && zone <= 60) return `+proj=utm +zone=${zone}${utm[1] === "7" ? " +south" : ""} +datum=WGS84 +units=m +no_defs`;
  }
  if (crs.trim().startsWith("+proj=")) return crs.trim();
  return null;
}

function unsupported(crs: string, where?: string): PlanError {
  return new PlanError("RASTER_UNSUPPORTED_CRS", `cannot transform coordinates of CRS "${crs}"${where ? ` (${where})` : ""}: Tessera handles EPSG:4326, EPSG:3857, WGS 84 UTM zones (EPSG:326xx/327xx) and PROJ strings`, { crs });
}

/** True when two CRS spellings name the same CRS as far as Tessera can tell. */
export function sameCrs(a: string, b: string): boolean {
  return canonical(a) === canonical(b);
}

/**
 * The transform from `from` to `to`. Throws RASTER_UNSUPPORTED_CRS (a PlanError naming the CRS, and `where` when
 * given, e.g. the file) for a CRS it cannot handle, so a plan fails before any task runs.
 */
export function crsTransform(from: string, to: string, where?: string): CoordTransform {
  if (sameCrs(from, to)) return () => undefined;
  const f = canonical(from);
  const t = canonical(to);
  if (f === "EPSG:3857" && t === "EPSG:4326") return mercatorToLonLat;
  if (f === "EPSG:4326" && t === "EPSG:3857") return lonLatToMercator;
  const df = proj4Definition(from);
  if (df === null) throw unsupported(from, where);
  const dt = proj4Definition(to);
  if (dt === null) throw unsupported(to, where);
  let converter: proj4.Converter;
  try {
    converter = proj4(df, dt);
  } catch (e) {
    throw unsupported((e as Error).message.includes(dt) ? to : from, where);
  }
  return (xs, ys) => {
    const p: [number, number] = [0, 0];
    for (let i = 0; i < xs.length; i++) {
      p[0] = xs[i] as number;
      p[1] = ys[i] as number;
      let out: number[];
      try {
        out = converter.forward(p);
      } catch {
        out = [Number.NaN, Number.NaN];
      }
      xs[i] = Number.isFinite(out[0]) ? out[0] as number : Number.NaN;
      ys[i] = Number.isFinite(out[1]) ? out[1] as number : Number.NaN;
    }
  };
}
