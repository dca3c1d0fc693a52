// The table of aggregate kernels keyed by AggFn: a decomposable kernel for each decomposable descriptor, a holistic
// one for each holistic descriptor; a function missing here, or of the wrong kind, does not compile.
import type { AggFn, HolisticFn } from "@tessera/expr";
import type { DecomposableKernel, HolisticKernel } from "./kernel.js";
import { COUNT, LEN, MEAN, SUM } from "./sums.js";
import { CORR, STD, VAR } from "./moments.js";
import { FIRST, LAST, MAX, MIN } from "./pick.js";
import { MEDIAN, N_UNIQUE, QUANTILE } from "./holistic.js";

export type AggKernelTable = { readonly [F in AggFn]: F extends HolisticFn ? HolisticKernel : DecomposableKernel };

export const AGG_KERNELS: AggKernelTable = {
  sum: SUM, mean: MEAN, count: COUNT, len: LEN,
  var: VAR, std: STD, corr: CORR,
  min: MIN, max: MAX, first: FIRST, last: LAST,
  median: MEDIAN, quantile: QUANTILE, nUnique: N_UNIQUE,
};
