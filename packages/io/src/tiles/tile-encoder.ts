// The contract between a tile writer and a tile format: one tile's binned values in, the object's bytes out.

/**
 * The content of one web-mercator tile `z/x/y` divided into 2^binLevel × 2^binLevel bins. A bin's index is
 * `col + row * 2^binLevel` with row 0 at the tile's north edge (the order `tile.bin` computes). Only occupied
 * bins are listed, each once, in any order; `values` holds one column per named value, aligned with `bins`.
 */
export interface TileContent {
  readonly z: number;
  readonly x: number;
  readonly y: number;
  readonly binLevel: number;
  readonly bins: Int32Array;
  readonly values: Readonly<Record<string, Float64Array>>;
}

/**
 * A tile format. `encode` is pure (same content, same bytes) and throws a TesseraError naming the tile when the
 * content lacks a value the format needs. Tile sinks take one of these; the format decides the file extension.
 */
export interface TileEncoder {
  /** The object name's extension, without a dot (e.g. "tile", "pbf", "png"). */
  readonly extension: string;
  encode(tile: TileContent): Uint8Array;
}
