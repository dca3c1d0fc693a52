// Web-mercator maths for the map: degrees to tile units at a zoom and back (the same numbering as the tiles' z/x/y).

/** Pixels a tile is drawn at: 64 bins a side, 4 pixels a bin. */
export const TILE_PX = 256;

/** The position of (lat, lng) in tile units at `z`: tile (x, y) covers [x, x + 1) × [y, y + 1). */
export function toTileUnits(lat, lng, z) {
  const n = 2 ** z;
  const x = ((lng + 180) / 360) * n;
  const y = ((1 - Math.asinh(Math.tan((lat * Math.PI) / 180)) / Math.PI) / 2) * n;
  return { x, y };
}

/** The degrees at tile units (x, y) of zoom `z`. */
export function fromTileUnits(x, y, z) {
  const n = 2 ** z;
  const lng = (x / n) * 360 - 180;
  const lat = (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI;
  return { lat, lng };
}

/** The canvas pixel of tile units (x, y), for a view centred on tile units (cx, cy) of a `width` × `height` canvas. */
export function toPixel(x, y, view) {
  return { px: (x - view.cx) * TILE_PX + view.width / 2, py: (y - view.cy) * TILE_PX + view.height / 2 };
}

/** The tile units of a canvas pixel. */
export function fromPixel(px, py, view) {
  return { x: (px - view.width / 2) / TILE_PX + view.cx, y: (py - view.height / 2) / TILE_PX + view.cy };
}

/** The top-left corner, in tile units, of bin `bin` of tile (x, y) with 2^binLevel bins a side (row-major from the north-west). */
export function binOrigin(x, y, bin, binLevel) {
  const side = 2 ** binLevel;
  return { x: x + (bin % side) / side, y: y + Math.floor(bin / side) / side };
}
