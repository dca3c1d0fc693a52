// Tiles compared on decoded content: coordinates, bin count, the set of bins and each bin's six values.
import type { TileBinStats } from "../tiles/tile-proto.js";
import { decodeCausemosTile } from "../tiles/tile-proto.js";
import { numbersClose } from "./numbers.js";

const FIELDS: readonly (keyof TileBinStats)[] = ["count", "sum", "avg", "s_sum_t_sum", "s_sum_t_mean", "weight"];

/** The differences between two encoded tiles (never their bytes: field and map-entry order may differ). */
export function compareTile(key: string, golden: Uint8Array, actual: Uint8Array): string[] {
  let g, a;
  try { g = decodeCausemosTile(golden, `golden ${key}`); } catch (e) { return [(e as Error).message]; }
  try { a = decodeCausemosTile(actual, `actual ${key}`); } catch (e) { return [(e as Error).message]; }
  const out: string[] = [];
  for (const c of ["x", "y", "z", "t"] as const) if (g.coord[c] !== a.coord[c]) out.push(`coord.${c}: golden ${g.coord[c]}, actual ${a.coord[c]}`);
  if (g.totalBins !== a.totalBins) out.push(`totalBins: golden ${g.totalBins}, actual ${a.totalBins}`);
  for (const bin of g.bins.keys()) if (!a.bins.has(bin)) out.push(`bin ${bin}: missing in actual`);
  for (const bin of a.bins.keys()) if (!g.bins.has(bin)) out.push(`bin ${bin}: not in golden`);
  for (const [bin, gs] of g.bins) {
    const as = a.bins.get(bin);
    if (as === undefined) continue;
    for (const f of FIELDS) if (!numbersClose(gs[f], as[f])) out.push(`bin ${bin} ${f}: golden ${gs[f]}, actual ${as[f]}`);
  }
  return out;
}
