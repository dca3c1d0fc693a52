// Samples what Parquet footers do not say about string group keys: how many distinct values a row group holds.
import { readDictionarySizes } from "@tessera/io";
import type { PlanNode, ResolvedSource } from "./nodes.js";
import { planInputs, transformPlan } from "./nodes.js";
import { scanColumnOf } from "./lower/estimate.js";

type ParquetSource = Extract<ResolvedSource, { format: "parquet" }>;

/** String columns of Parquet scans that aggregations group by as they are read (no statistics bound them). */
function stringKeysBySource(plan: PlanNode, out = new Map<ParquetSource, Set<string>>()): Map<ParquetSource, Set<string>> {
  if (plan.kind === "aggregate") {
    for (const k of plan.keys) {
      if (k.op !== "col") continue;
      const at = scanColumnOf(plan.input, k.name);
      const s = at?.scan.source;
      if (at === null || s === undefined || s.format !== "parquet" || !("files" in s) || s.dictionarySizes?.[at.name] !== undefined) continue;
      const field = s.fileFields.find((f) => f.name === at.name);
      if (field === undefined || field.type !== "utf8") continue;
      let names = out.get(s);
      if (names === undefined) out.set(s, (names = new Set()));
      names.add(at.name);
    }
  }
  for (const x of planInputs(plan)) stringKeysBySource(x, out);
  return out;
}

/**
 * The plan with each Parquet scan whose string columns an aggregation groups by carrying those columns' dictionary
 * sizes in its first file's first non-empty row group: one small ranged read per column (the dictionary page header),
 * so lowering can tell a hundred groups from a hundred thousand where footers hold no bound (see distinctEstimate).
 */
export async function withKeyStatistics(plan: PlanNode): Promise<PlanNode> {
  const wanted = stringKeysBySource(plan);
  if (wanted.size === 0) return plan;
  const replaced = new Map<ParquetSource, ParquetSource>();
  await Promise.all([...wanted].map(async ([src, names]) => {
    const file = src.files.find((f) => f.rowGroups.some((rg) => rg.numRows > 0));
    if (file === undefined) return;
    const rowGroup = file.rowGroups.find((rg) => rg.numRows > 0)?.index ?? 0;
    const sizes = await readDictionarySizes(file, [...names], rowGroup);
    replaced.set(src, { ...src, dictionarySizes: { ...src.dictionarySizes, ...sizes } });
  }));
  return transformPlan(plan, (n) => {
    if (n.kind !== "scan" || !("files" in n.source) || n.source.format !== "parquet") return n;
    const s = replaced.get(n.source);
    return s === undefined ? n : { ...n, source: s };
  });
}
