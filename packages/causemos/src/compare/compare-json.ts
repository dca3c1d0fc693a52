// JSON objects compared structurally: objects by key sets, every list as a multiset, numbers within tolerance.
import { numbersClose } from "./numbers.js";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Where `golden` and `actual` differ (paths like `$.min.s_sum_t_sum`), or [] when they agree. */
export function diffJson(golden: Json, actual: Json, at = "$"): string[] {
  if (typeof golden === "number" && typeof actual === "number") return numbersClose(golden, actual) ? [] : [`${at}: golden ${golden}, actual ${actual}`];
  if (golden === null || actual === null || typeof golden !== "object" || typeof actual !== "object") {
    return golden === actual ? [] : [`${at}: golden ${JSON.stringify(golden)}, actual ${JSON.stringify(actual)}`];
  }
  if (Array.isArray(golden) !== Array.isArray(actual)) return [`${at}: golden is ${Array.isArray(golden) ? "a list" : "an object"}, actual is not`];
  if (Array.isArray(golden)) return diffMultiset(golden, actual as Json[], at);
  const g = golden as { [k: string]: Json };
  const a = actual as { [k: string]: Json };
  const out: string[] = [];
  for (const k of Object.keys(g)) if (!(k in a)) out.push(`${at}.${k}: missing in actual`);
  for (const k of Object.keys(a)) if (!(k in g)) out.push(`${at}.${k}: not in golden`);
  for (const k of Object.keys(g)) if (k in a) out.push(...diffJson(g[k] as Json, a[k] as Json, `${at}.${k}`));
  return out;
}

/** Lists as multisets: each golden element matched once to an equal actual element. */
function diffMultiset(golden: Json[], actual: Json[], at: string): string[] {
  if (golden.length !== actual.length) return [`${at}: ${golden.length} elements in golden, ${actual.length} in actual`];
  const used = new Uint8Array(actual.length);
  const out: string[] = [];
  for (const g of golden) {
    let hit = -1;
    for (let j = 0; j < actual.length && hit < 0; j++) if (used[j] === 0 && diffJson(g, actual[j] as Json).length === 0) hit = j;
    if (hit >= 0) used[hit] = 1;
    else out.push(`${at}[]: golden element ${JSON.stringify(g)} has no equal in actual`);
  }
  return out;
}

/** Parses both texts and compares them; a text that is not JSON is a difference of its own. */
export function compareJson(goldenText: string, actualText: string): string[] {
  let g: Json, a: Json;
  try { g = JSON.parse(goldenText) as Json; } catch (e) { return [`golden is not JSON: ${(e as Error).message}`]; }
  try { a = JSON.parse(actualText) as Json; } catch (e) { return [`actual is not JSON: ${(e as Error).message}`]; }
  return diffJson(g, a);
}
