// Messages between the load suite and its child processes.

export type LoadSystemName = "tessera" | "tessera-batches" | "duckdb" | "polars" | "page-cache";

/** "*": every column; otherwise one column's name. */
export type LoadCase = string;

export interface LoadChildConfig {
  readonly system: LoadSystemName;
  readonly path: string;
  readonly cases: readonly LoadCase[];
  /** Runs of each case inside the child (the first one includes warm-up: JIT, WebAssembly compilation). */
  readonly runs: number;
  /** Page-cache baseline: the byte ranges each case reads (the whole file for "*", a column's chunks otherwise). */
  readonly ranges: Readonly<Record<LoadCase, readonly { readonly start: number; readonly end: number }[]>>;
}

export type LoadChildMessage =
  | { readonly kind: "run"; readonly case: LoadCase; readonly run: number; readonly ms: number;
      /** CPU time of the process (every thread, user + system) during the load. */
      readonly cpuMs: number; readonly peakRss: number; readonly rows: number; readonly sum: number | null }
  | { readonly kind: "fatal"; readonly message: string }
  | { readonly kind: "done" };
