// Reads source metadata (file lists, Parquet footers, CSV schemas) so plans can be typed, pruned and split.
import type { DType, Field } from "@tessera/common";
import { PlanError } from "@tessera/common";
import type { LitValue } from "@tessera/expr";
import { csvRecordRanges, expandDataset, hivePartitionValues, inferCsvSchema, parquetFooterBytes, readParquetMeta, storeFor } from "@tessera/io";
import type { ParquetFileInfo, PlanNode, ResolvedSource, UnresolvedSource } from "./nodes.js";
import { planInputs, withInputs } from "./nodes.js";
import { checkPlanOptions } from "./check-options.js";
import { DEFAULT_CSV_PARTITION_BYTES } from "./lower/scan.js";

const META_CONCURRENCY = 16;

async function mapLimit<T, R>(items: readonly T[], limit: number, f: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const run = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, run));
  return out;
}

function hiveType(values: readonly (string | null)[]): DType {
  return values.every((v) => v === null || /^-?\d{1,15}$/.test(v)) ? "int64" : "utf8";
}

function typedHive(v: string | null, t: DType): LitValue {
  if (v === null) return null;
  return t === "int64" ? Number(v) : v;
}

/**
 * The files of a scan: one listing per glob or directory, or, for a directory holding a `_SUCCESS` manifest,
 * exactly the files it lists (so parts of failed or in-flight sinks beside them are never read).
 */
async function sourceFiles(urls: readonly string[]): Promise<string[]> {
  return (await expandDataset(urls)).map((f) => f.url);
}

function footerOf(m: Awaited<ReturnType<typeof readParquetMeta>>): { footer?: { bytes: Uint8Array; size: number } } {
  const bytes = parquetFooterBytes(m);
  return bytes === null ? {} : { footer: { bytes, size: m.size } };
}

async function resolveParquet(s: Extract<UnresolvedSource, { format: "parquet" }>): Promise<ResolvedSource> {
  const urls = await sourceFiles(s.urls);
  const metas = await mapLimit(urls, META_CONCURRENCY, (u) => readParquetMeta(u));
  const first = metas[0];
  if (!first) throw new PlanError("EMPTY_SOURCE", `no Parquet files match ${s.urls.join(", ")}`);
  for (const m of metas.slice(1)) {
    const a = first.fields.map((f) => `${f.name}:${f.type}`).join(",");
    const b = m.fields.map((f) => `${f.name}:${f.type}`).join(",");
    if (a !== b) throw new PlanError("SCHEMA_MISMATCH", `Parquet files have different schemas: ${first.url} (${a}) vs ${m.url} (${b})`);
  }
  const raw = urls.map((u, i) => hivePartitionValues(u, s.urls[0] ?? ""));
  const hiveNames = Object.keys(raw[0] ?? {}).filter((k) => !first.fields.some((f) => f.name === k));
  const hiveFields: Field[] = hiveNames.map((name) => {
    const vals = raw.map((r) => r[name] ?? null);
    return { name, type: hiveType(vals), nullable: vals.some((v) => v === null) };
  });
  const files: ParquetFileInfo[] = metas.map((m, i) => ({
    ...footerOf(m),
    url: m.url,
    numRows: m.numRows,
    hive: Object.fromEntries(hiveFields.map((f) => {
      const v = raw[i]?.[f.name];
      return [f.name, typedHive(v ?? null, f.type)];
    })),
    rowGroups: m.rowGroups.map((rg) => ({
      index: rg.index,
      numRows: rg.numRows,
      bytes: rg.totalByteSize,
      stats: Object.fromEntries(Object.entries(rg.columns).map(([k, c]) => [k, { min: c.min, max: c.max, nullCount: c.nullCount }])),
    })),
  }));
  const unsupported = first.unsupported.map((u) => ({ name: u.name, reason: u.reason, url: first.url }));
  return { format: "parquet", files, fileFields: first.fields, hiveFields, partitions: s.partitions, ...(unsupported.length > 0 ? { unsupported } : {}) };
}

async function resolveCsv(s: Extract<UnresolvedSource, { format: "csv" }>): Promise<ResolvedSource> {
  const urls = await sourceFiles(s.urls);
  const first = urls[0];
  if (first === undefined) throw new PlanError("EMPTY_SOURCE", `no CSV files match ${s.urls.join(", ")}`);
  const fields = s.schema ? [...s.schema] : await inferCsvSchema(first, { delimiter: s.delimiter, header: s.header });
  const perFile = s.partitions !== null ? Math.max(1, Math.ceil(s.partitions / urls.length)) : null;
  const files = await mapLimit(urls, META_CONCURRENCY, async (url) => {
    const store = storeFor(url);
    const size = (await store.head(url)).size;
    const n = perFile ?? Math.max(1, Math.ceil(size / DEFAULT_CSV_PARTITION_BYTES));
    const ranges = n === 1 ? [{ start: 0, end: size }] : await csvRecordRanges(store, url, size, n);
    return { url, size, ranges };
  });
  return { format: "csv", files, delimiter: s.delimiter, header: s.header, fields, partitions: s.partitions };
}

/** Resolves every scan in the plan. Sources already resolved are kept; equal sources are read once. */
export async function resolveSources(plan: PlanNode, cache = new Map<UnresolvedSource, Promise<ResolvedSource>>()): Promise<PlanNode> {
  checkPlanOptions(plan);  // before any metadata is read: a wrong option fails without touching storage
  if (plan.kind === "scan") {
    const src = plan.source;
    if ("files" in src || src.format === "memory" || src.format === "persisted") return plan;
    let p = cache.get(src);
    if (!p) {
      p = src.format === "parquet" ? resolveParquet(src) : resolveCsv(src);
      cache.set(src, p);
    }
    return { ...plan, source: await p };
  }
  const inputs = await Promise.all(planInputs(plan).map((x) => resolveSources(x, cache)));
  return withInputs(plan, inputs);
}
