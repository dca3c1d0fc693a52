// The table of aggregate kernels keyed by AggFn.
import type { AggFn } from "@tessera/expr";
import type { AggKernel } from "./kernel.js";
import { COUNT, LEN, MEAN, SUM } from "./sums.js";
import { CORR, STD, VAR } from "./moments.js";
import { FIRST, LAST, MAX, MIN } from "./pick.js";
import { MEDIAN, N_UNIQUE, QUANTILE } from "./holistic.js";

export const AGG_KERNELS: Readonly<Record<AggFn, AggKernel>> = {
  sum: SUM, mean: MEAN, count: COUNT, len: LEN,
  var: VAR, std: STD, corr: CORR,
  min: MIN, max: MAX, first: FIRST, last: LAST,
  median: MEDIAN, quantile: QUANTILE, nUnique: N_UNIQUE,
};

/** Aggregates that need every row of a group at once (no partial state). */
export const HOLISTIC: ReadonlySet<AggFn> = new Set<AggFn>(["median", "quantile", "nUnique"]);
