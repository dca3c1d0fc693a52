// The frames a raster becomes (cells as rows, zonal statistics, statistics over all cells): their fields, checked at
// plan time like any frame's, so a query over them fails before anything runs.
import type { Field, Schema } from "@tessera/common";
import { PlanError, checkChoice } from "@tessera/common";
import { ZONAL_STATS } from "@tessera/raster";
import type { RasterInfo } from "./raster-info.js";
import { checkCrsPair } from "./raster-info.js";
import type { RasterView } from "./raster-nodes.js";

const f = (name: string, type: Field["type"], nullable = false): Field => ({ name, type, nullable });

function statFields(stats: readonly string[]): Field[] {
  if (stats.length === 0) throw new PlanError("RASTER_BAD_STAT", `name at least one statistic of ${ZONAL_STATS.join(", ")}`);
  for (const s of stats) checkChoice("RASTER_BAD_STAT", "statistic", s, ZONAL_STATS);
  return stats.map((s) => f(s, s === "count" ? "int64" : "float64", s !== "count"));
}

const hasTime = (info: RasterInfo): boolean => info.times.some((t) => t !== null);

/** The fields of the frame `view` makes of a raster of shape `info`; validates the view. */
export function viewFields(view: RasterView, info: RasterInfo): Schema {
  switch (view.t) {
    case "rows": {
      if (view.lonLat) checkCrsPair(info.grid.crs, "EPSG:4326", info.where);
      const out = [f("col", "int32"), f("row", "int32"), f("x", "float64"), f("y", "float64")];
      if (view.lonLat) out.push(f("lon", "float64"), f("lat", "float64"));
      if (hasTime(info)) out.push(f("time", "timestamp[ms]"));
      for (const b of info.bands) {
        if (out.some((x) => x.name === b.name)) throw new PlanError("DUPLICATE_COLUMN", `band "${b.name}" has the name of a cell column; rename it with select(col("${b.name}").alias(...))`, { column: b.name });
        out.push(f(b.name, b.dtype, true));
      }
      return out;
    }
    case "zonal": {
      checkChoice("RASTER_BAD_RULE", "zone rule", view.rule, ["center", "allTouched"]);
      checkCrsPair(view.crs, info.grid.crs, info.where);
      if (view.zones.length === 0) throw new PlanError("RASTER_BAD_ZONES", "zonalStats needs at least one zone");
      const integerIds = view.zones.every((z) => Number.isInteger(z.id));
      const out = [f("zone", integerIds ? "int64" : "utf8")];
      if (hasTime(info)) out.push(f("time", "timestamp[ms]"));
      return [...out, f("band", "utf8"), ...statFields(view.stats)];
    }
    case "stats": {
      const out = hasTime(info) ? [f("time", "timestamp[ms]")] : [];
      return [...out, f("band", "utf8"), ...statFields(view.stats)];
    }
  }
}
