// The regional spatial frames of one resolution: spatial(T + region id, [feature, timestamp, region_id]) per depth.
import type { LazyFrame } from "tessera";
import { col } from "tessera";
import { spatial } from "../aggregate/spatial.js";
import { regionIdExpr } from "../metadata/region-ids.js";
import type { ResContext } from "./context.js";

/** Computes each depth's regional frame once per resolution (stats, time series and aggs share it), persisted. */
export class RegionalFrames {
  private readonly byDepth = new Map<number, Promise<LazyFrame>>();
  constructor(private readonly ctx: ResContext) {}

  /** feature, timestamp, region_id, AGG..., first_row for ids at `depth` (partitioned as T: by feature and timestamp). */
  at(depth: number): Promise<LazyFrame> {
    let p = this.byDepth.get(depth);
    if (p === undefined) {
      p = spatial(this.withId(this.ctx.t, depth), ["feature", "timestamp", "region_id"], ["sum", "mean"], this.ctx.roles.weight, true).persist(this.ctx.opts);
      this.byDepth.set(depth, p);
    }
    return p;
  }

  /** `frame` (rows of T) with the region id at `depth`. */
  withId(frame: LazyFrame, depth: number): LazyFrame {
    return frame.withColumns(regionIdExpr(depth, this.ctx.roles.regions));
  }

  /** T restricted to `features`, with ids at `depth` (for qualifier breakdowns). */
  forFeatures(features: readonly string[], depth: number): LazyFrame {
    return this.withId(this.ctx.t.filter(col("feature").isIn([...features])), depth);
  }

  async release(): Promise<void> {
    for (const p of this.byDepth.values()) await (await p).release();
    this.byDepth.clear();
  }
}
