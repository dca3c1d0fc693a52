// @tessera/causemos: the Causemos data pipeline on Tessera, its tile format and the golden-tree comparator.
export { TILE_PROTO, TILE_VALUES, encodeCausemosTile, decodeCausemosTile, causemosTileEncoder } from "./tiles/tile-proto.js";
export type { DecodedTile, TileBinStats } from "./tiles/tile-proto.js";
export { compareTrees, formatDifferences } from "./compare/compare-trees.js";
export type { TreeDifference, DifferenceKind } from "./compare/compare-trees.js";
export { compareCsv } from "./compare/compare-csv.js";
export { compareJson } from "./compare/compare-json.js";
export { compareTile } from "./compare/compare-tile.js";
export { parseCsv } from "./compare/csv-parse.js";
export { cellsEqual, numbersClose, RELATIVE_TOLERANCE } from "./compare/numbers.js";
