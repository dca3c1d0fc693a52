// Fan-out sinks: one object per group (CSV, JSON, or a map tile through a TileEncoder), rendered and written in the workers.
import { randomBytes } from "node:crypto";
import { PlanError } from "@tessera/common";
import type { NumberFormat } from "@tessera/expr";
import { joinUrl, normalizeUrl, parsePathTemplate, storeFor } from "@tessera/io";
import type { ObjectsManifest } from "@tessera/ops";
import type { ObjectFormat, ObjectSinkNode, PlanNode } from "@tessera/plan";
import { lowerPlans } from "@tessera/plan";
import type { ExecOptions } from "./execute.js";
import { preparePlan, runGraph } from "./execute.js";
import { markSharedSubplans } from "./shared-subplans.js";

/** What every fan-out sink takes besides its format. */
export interface FanOutOptions {
  /**
   * Object keys relative to the URL: literal text and `{column}` placeholders; each distinct combination of the
   * placeholder columns' values is one object. `{column}` escapes the value into one path segment (as Hive escapes
   * partition values: `a/b` → `a%2Fb`); `{column:levels}` keeps it as written with each `/` a new level (".." and "."
   * still cannot climb). `{{` / `}}` are literal braces.
   */
  readonly path: string;
  /** The run's commit object, written after every other object (default "_SUCCESS"); null: none (the caller commits). */
  readonly commit?: string | null;
  /** PUTs in flight per partition (default 16). */
  readonly concurrency?: number;
  /** Tries per PUT on transient failures, the first included (default 4). */
  readonly attempts?: number;
}

export interface SinkObjectsOptions extends FanOutOptions {
  /** "csv" or "json"; default from the path's extension (".json" → json, else csv). */
  readonly format?: "csv" | "json";
  /** Columns written, in order (default: every column the path does not name). */
  readonly columns?: string | readonly string[];
  /** Row order inside each object. */
  readonly orderBy?: string | readonly string[];
  readonly descending?: boolean | readonly boolean[];
  /** "default" or "python" (numbers as pandas writes them: `3.0`, `1e-05`, NaN as an empty CSV cell). */
  readonly numberFormat?: NumberFormat;
  /** CSV only: each object written wide, a row per `index` value and a column per distinct `on` value of its rows. */
  readonly pivot?: { readonly index: string; readonly on: string; readonly values: string };
  /**
   * JSON only: `nest` columns become nested objects keyed by their values (outermost first); `nestKeys` (per nest
   * column, or by column name) are keys every object has even without rows; leaves are the rows as records, or with
   * `leaf: "values"` the list of the one written column's values. Without nest: the list of leaves.
   */
  readonly json?: {
    readonly nest?: readonly string[];
    readonly nestKeys?: Readonly<Record<string, readonly string[]>>;
    readonly leaf?: "records" | "values";
  };
}

export interface SinkTilesOptions extends Partial<FanOutOptions> {
  /** A TileEncoder exported by a module installed where the workers run, named "package#export" (or a file in TESSERA_FUNCTIONS_DIR). */
  readonly encoder: string;
  /** Bins per tile side are 2^binLevel. */
  readonly binLevel: number;
  /** The columns the encoder gets per bin (numbers). */
  readonly values: readonly string[];
  /** Columns naming the tile and the bin (defaults z, x, y, bin, as tileBins writes them). */
  readonly z?: string;
  readonly x?: string;
  readonly y?: string;
  readonly bin?: string;
}

/** What a fan-out sink wrote. */
export interface ObjectsWriteResult {
  readonly objects: number;
  readonly bytes: number;
  /** The commit object's URL (null without one). */
  readonly commit: string | null;
}

const list = (x: string | readonly string[] | undefined): string[] => (x === undefined ? [] : typeof x === "string" ? [x] : [...x]);

function bad(message: string): never {
  throw new PlanError("BAD_OPTION", message);
}

/** The sink's root: a canonical URL ("none" is none://, where writes are dropped). */
function rootOf(url: string): string {
  if (typeof url !== "string" || url === "") bad("a fan-out sink needs a URL (file://DIR, s3://BUCKET/PREFIX, a path, or none)");
  if (url === "none") return "none://";
  return normalizeUrl(url).replace(/\/+$/, "") || "/";
}

function csvOrJson(columns: string[], opts: SinkObjectsOptions): ObjectFormat {
  const kind = opts.format ?? (opts.path.endsWith(".json") ? "json" : "csv");
  const numberFormat = opts.numberFormat ?? "default";
  if (kind === "csv") {
    if (opts.json !== undefined) bad("json options apply to format json");
    return { kind, columns, numberFormat, pivot: opts.pivot ?? null };
  }
  if (kind !== "json") bad(`format must be "csv" or "json", got ${JSON.stringify(kind)}`);
  if (opts.pivot !== undefined) bad("pivot applies to format csv");
  const nest = list(opts.json?.nest);
  return { kind, columns, numberFormat, nest, nestKeys: nest.map((c) => opts.json?.nestKeys?.[c] ?? null), leaf: opts.json?.leaf ?? "records" };
}

/**
 * A fan-out sink not yet run (`frame.sinkObjects(url, { ..., lazy: true })`): `sinkAll` runs several as one job, so
 * work they share (the same persisted input, the same aggregation) is computed once and every sink's tasks run
 * side by side.
 */
export class LazySink {
  constructor(private readonly input: PlanNode, private readonly make: (inputColumns: readonly string[]) => ObjectSinkNode) {}

  /** The sink's plan node (typing the input first: default columns are those the path does not name). */
  async node(opts: ExecOptions): Promise<ObjectSinkNode> {
    const { fields } = await preparePlan(this.input, opts);
    return this.make(fields.map((f) => f.name));
  }
}

function sinkNode(plan: PlanNode, url: string, common: FanOutOptions, format: ObjectFormat, order: { by: string[]; descending: boolean[] }): ObjectSinkNode {
  const template = parsePathTemplate(common.path);
  return {
    kind: "sinkObjects", input: plan, url: rootOf(url), template: template.pattern, groupBy: template.columns, format, orderBy: order.by,
    descending: order.descending, commit: common.commit === undefined ? "_SUCCESS" : common.commit, token: randomBytes(6).toString("hex"),
    concurrency: common.concurrency ?? 16, attempts: common.attempts ?? 4,
  };
}

/**
 * Runs fan-out sinks as one job (one task graph, shared work computed once). Each sink's earlier commit object is
 * deleted before anything runs; each sink's commit task writes its own commit object once its parts are written.
 * Resolves to what each sink wrote, in order; rejects with the first failure.
 */
export async function sinkAll(sinks: readonly LazySink[], opts: ExecOptions = {}): Promise<ObjectsWriteResult[]> {
  if (sinks.length === 0) return [];
  const nodes = await Promise.all(sinks.map((s) => s.node(opts)));
  const marked = markSharedSubplans(nodes);
  const optimized = await Promise.all(marked.map(async (n) => (await preparePlan(n, opts)).optimized));
  const { graph, plans } = lowerPlans(optimized);
  const commits = nodes.map((n) => (n.commit === null ? null : joinUrl(n.url, n.commit)));
  // Whatever an earlier run left must not look finished while this one writes: its commit objects go first.
  await Promise.all(commits.map((u) => (u === null ? undefined : storeFor(u).delete(u))));
  const out = await runGraph(graph, opts);
  return plans.map((p, i) => {
    const manifest = out.get(p.outputs[0] as string) as ObjectsManifest;
    return { objects: manifest.objects, bytes: manifest.bytes, commit: commits[i] ?? null };
  });
}

/** A lazy fan-out sink of CSV or JSON objects (see SinkObjectsOptions). */
export function objectsSink(plan: PlanNode, url: string, opts: SinkObjectsOptions): LazySink {
  if (typeof opts?.path !== "string") bad("sinkObjects needs { path: \"...{column}...\" }");
  const groupCols = parsePathTemplate(opts.path).columns;
  const by = list(opts.orderBy);
  const d = opts.descending;
  const descending = by.map((_, i) => (d === undefined ? false : typeof d === "boolean" ? d : (d[i] ?? false)));
  rootOf(url);
  return new LazySink(plan, (fields) => {
    const columns = opts.columns === undefined ? fields.filter((c) => !groupCols.includes(c)) : list(opts.columns);
    return sinkNode(plan, url, opts, csvOrJson(columns, opts), { by, descending });
  });
}

/** A lazy tile sink: one tile per (group, z, x, y) through a TileEncoder (see SinkTilesOptions). */
export function tilesSink(plan: PlanNode, url: string, opts: SinkTilesOptions): LazySink {
  if (typeof opts?.encoder !== "string") bad("sinkTiles needs { encoder: \"package#export\" } naming a TileEncoder");
  if (!Number.isInteger(opts.binLevel)) bad(`sinkTiles needs an integer binLevel, got ${String(opts.binLevel)}`);
  const z = opts.z ?? "z", x = opts.x ?? "x", y = opts.y ?? "y", bin = opts.bin ?? "bin";
  const path = opts.path ?? `{${z}}/{${x}}/{${y}}.tile`;
  const format: ObjectFormat = { kind: "tile", encoder: opts.encoder, z, x, y, bin, binLevel: opts.binLevel, values: [...opts.values] };
  parsePathTemplate(path);
  rootOf(url);
  return new LazySink(plan, () => sinkNode(plan, url, { ...opts, path }, format, { by: [bin], descending: [false] }));
}
