// Group renderers for the pipeline's formats: pandas-style CSV, and tiles through a TileEncoder.
import type { TileEncoder } from "tessera";
import { csvFromTable } from "tessera";
import type { Table, Vector } from "apache-arrow";
import type { GroupRenderer } from "./fan-out.js";
import type { KeyTemplate } from "./key-template.js";

/** Constants (model id, run id, resolution, level, ...) filled into a template alongside the group's values. */
export type Constants = Readonly<Record<string, string>>;

/** One CSV per group with `columns` (the group's rows in order), numbers as pandas writes them. */
export function csvRenderer(key: KeyTemplate, constants: Constants, columns: readonly string[]): GroupRenderer {
  return (rows, values) => [{ key: key.render({ ...constants, ...values }), body: csvFromTable(rows.select(columns as string[]), { numberFormat: "python" }) }];
}

function float64Of(v: Vector): Float64Array {
  return Float64Array.from(v.toArray() as ArrayLike<number | bigint>, Number);
}

/**
 * One tile per group: rows are the tile's bins (`bin` column) with the encoder's values; the group's values
 * name the tile (`z`, `x`, `y`) and fill the key.
 */
export function tileRenderer(key: KeyTemplate, constants: Constants, encoder: TileEncoder, valueColumns: readonly string[], binLevel: number): GroupRenderer {
  return (rows: Table, values) => {
    const tile = {
      z: Number(values["z"]), x: Number(values["x"]), y: Number(values["y"]), binLevel,
      bins: Int32Array.from(rows.getChild("bin")!.toArray() as ArrayLike<number>),
      values: Object.fromEntries(valueColumns.map((c) => [c, float64Of(rows.getChild(c) as Vector)])),
    };
    return [{ key: key.render({ ...constants, ...values }), body: encoder.encode(tile) }];
  };
}
