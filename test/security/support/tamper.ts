// A client that rewrites its graphs after its own checks: what a hostile client skipping every local check would send.
import type { Client, RunOptions } from "tessera";

type Graph = Parameters<Client["run"]>[0];

/**
 * `v` with every string holding `from` rewritten to hold `to` instead; typed arrays (shipped data) kept as they are.
 * A Parquet piece whose URL changes loses the footer part the planner cut from the decoy's footer, so the worker
 * reads the target's own footer, as a hostile client would arrange.
 */
export function replaceStrings(v: unknown, from: string, to: string): unknown {
  if (typeof v === "string") return v.split(from).join(to);
  if (ArrayBuffer.isView(v) || v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map((x) => replaceStrings(x, from, to));
  const entries = Object.entries(v);
  const retargeted = entries.some(([k, x]) => k === "url" && typeof x === "string" && x.includes(from));
  return Object.fromEntries(entries.filter(([k]) => !(retargeted && k === "footer")).map(([k, x]) => [k, replaceStrings(x, from, to)]));
}

/**
 * Sends `inner` the graphs it is given with the string `from` replaced by `to` in every task's args. Plans are
 * made (and checked, and their sources listed and read) on `from`, a decoy the client may use; the cluster sees `to`.
 */
export function tamperingClient(inner: Client, from: string, to: string): Client {
  return {
    run: (graph: Graph, opts?: RunOptions) => inner.run({
      ...graph,
      tasks: graph.tasks.map((t) => ({ ...t, args: replaceStrings(t.args, from, to) })),
    }, opts),
    close: async () => undefined,
  };
}
