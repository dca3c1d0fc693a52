// Fan-out sinks: one object per group (CSV, JSON, or a map tile through a TileEncoder), rendered and written in the workers.
import { randomBytes } from "node:crypto";
import { PlanError } from "@tessera/common";
import type { NumberFormat } from "@tessera/expr";
import { joinUrl, normalizeUrl, parsePathTemplate, storeFor } from "@tessera/io";
import type { ObjectsManifest } from "@tessera/ops";
import type { ObjectFormat, ObjectSinkNode, PlanNode } from "@tessera/plan";
import type { ExecOptions } from "./execute.js";
import { physicalPlan, runGraph } from "./execute.js";

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

/** Builds the sink node for `plan` and runs it (see ObjectSinkNode); the earlier commit object is deleted first. */
async function runObjectSink(plan: PlanNode, url: string, common: FanOutOptions, format: ObjectFormat, order: { by: string[]; descending: boolean[] }, opts: ExecOptions): Promise<ObjectsWriteResult> {
  const root = rootOf(url);
  const template = parsePathTemplate(common.path);
  const commit = common.commit === undefined ? "_SUCCESS" : common.commit;
  const node: ObjectSinkNode = {
    kind: "sinkObjects", input: plan, url: root, template: template.pattern, groupBy: template.columns, format, orderBy: order.by,
    descending: order.descending, commit, token: randomBytes(6).toString("hex"), concurrency: common.concurrency ?? 16, attempts: common.attempts ?? 4,
  };
  const phys = await physicalPlan(node, opts);
  // Whatever an earlier run left must not look finished while this one writes: its commit object goes first.
  const commitUrl = commit === null ? null : joinUrl(root, commit);
  if (commitUrl !== null) await storeFor(commitUrl).delete(commitUrl);
  const out = await runGraph(phys.graph, opts);
  const manifest = out.get(phys.outputs[0] as string) as ObjectsManifest;
  return { objects: manifest.objects, bytes: manifest.bytes, commit: commitUrl };
}

/** frame.sinkObjects(url, opts): one CSV or JSON object per group (see SinkObjectsOptions). */
export function sinkObjectsPlan(plan: PlanNode, fields: readonly string[], url: string, opts: SinkObjectsOptions & ExecOptions): Promise<ObjectsWriteResult> {
  if (typeof opts?.path !== "string") bad("sinkObjects needs { path: \"...{column}...\" }");
  const groupCols = parsePathTemplate(opts.path).columns;
  const columns = opts.columns === undefined ? fields.filter((c) => !groupCols.includes(c)) : list(opts.columns);
  const by = list(opts.orderBy);
  const d = opts.descending;
  const descending = by.map((_, i) => (d === undefined ? false : typeof d === "boolean" ? d : (d[i] ?? false)));
  return runObjectSink(plan, url, opts, csvOrJson(columns, opts), { by, descending }, opts);
}

/** frame.sinkTiles(url, opts): one tile per (group, z, x, y) through a TileEncoder (see SinkTilesOptions). */
export function sinkTilesPlan(plan: PlanNode, url: string, opts: SinkTilesOptions & ExecOptions): Promise<ObjectsWriteResult> {
  if (typeof opts?.encoder !== "string") bad("sinkTiles needs { encoder: \"package#export\" } naming a TileEncoder");
  if (!Number.isInteger(opts.binLevel)) bad(`sinkTiles needs an integer binLevel, got ${String(opts.binLevel)}`);
  const z = opts.z ?? "z", x = opts.x ?? "x", y = opts.y ?? "y", bin = opts.bin ?? "bin";
  const path = opts.path ?? `{${z}}/{${x}}/{${y}}.tile`;
  const format: ObjectFormat = { kind: "tile", encoder: opts.encoder, z, x, y, bin, binLevel: opts.binLevel, values: [...opts.values] };
  return runObjectSink(plan, url, { ...opts, path }, format, { by: [bin], descending: [false] }, opts);
}
