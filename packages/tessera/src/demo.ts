// The main job: a synthetic climate-model output aggregated monthly and yearly per feature and region, written as Parquet.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { mulberry32 } from "@tessera/common";
import { resolve } from "node:path";
import type { Batch, Column, DictColumn, StrColumn } from "@tessera/kernels";
import { columnFromValues, tableFromBatches } from "@tessera/kernels";
import { writeParquet } from "@tessera/io";
import { col, len } from "@tessera/expr";
import { scanParquet } from "@tessera/dataframe";

export interface DemoOptions {
  readonly out?: string;
  readonly rows?: number;
  readonly log?: (line: string) => void;
}

const FEATURES = ["precipitation", "temperature", "soil_moisture", "crop_yield"];
const COUNTRIES: Record<string, string[]> = {
  Ethiopia: ["Oromia", "Amhara", "Tigray", "Somali"],
  Kenya: ["Nairobi", "Rift Valley", "Coast"],
  "South Sudan": ["Jonglei", "Unity", "Upper Nile"],
};

function dict(values: readonly string[], indices: Int32Array): DictColumn {
  return { kind: "dict", type: "utf8", length: indices.length, indices, dict: columnFromValues("utf8", [...values]) as StrColumn, valid: null };
}

/** Generates `rows` rows of model output: daily timestamps over three years, four features, 10 admin1 x 5 admin2 regions. */
export function generateClimate(rows: number, seed = 42): Batch {
  const r = mulberry32(seed);
  const regions: { country: number; admin1: number; lat: number; lng: number }[] = [];
  const countries = Object.keys(COUNTRIES);
  const admin1: string[] = [];
  countries.forEach((c, ci) => (COUNTRIES[c] ?? []).forEach((a) => {
    admin1.push(a);
    regions.push({ country: ci, admin1: admin1.length - 1, lat: 3 + 12 * r(), lng: 30 + 15 * r() });
  }));
  const admin2 = Array.from({ length: regions.length * 5 }, (_, i) => `${admin1[Math.floor(i / 5)]} district ${(i % 5) + 1}`);
  const ts = new BigInt64Array(rows);
  const feature = new Int32Array(rows);
  const country = new Int32Array(rows);
  const a1 = new Int32Array(rows);
  const a2 = new Int32Array(rows);
  const value = new Float64Array(rows);
  const lat = new Float64Array(rows);
  const lng = new Float64Array(rows);
  const start = Date.UTC(2021, 0, 1);
  const days = 3 * 365;
  for (let i = 0; i < rows; i++) {
    const day = Math.floor(r() * days);
    const f = Math.floor(r() * FEATURES.length);
    const reg = Math.floor(r() * regions.length);
    const g = regions[reg] as { country: number; admin1: number; lat: number; lng: number };
    ts[i] = BigInt(start + day * 86_400_000);
    feature[i] = f;
    country[i] = g.country;
    a1[i] = g.admin1;
    a2[i] = g.admin1 * 5 + Math.floor(r() * 5);
    const season = Math.sin((2 * Math.PI * (day % 365)) / 365);
    value[i] = Math.round((10 * (f + 1) + 5 * season + 3 * r()) * 1e4) / 1e4;
    lat[i] = g.lat + r() * 0.5;
    lng[i] = g.lng + r() * 0.5;
  }
  const columns: Column[] = [
    { kind: "num", type: "timestamp[ms]", length: rows, values: ts, valid: null },
    dict(FEATURES, feature),
    { kind: "num", type: "float64", length: rows, values: value, valid: null },
    dict(countries, country),
    dict(admin1, a1),
    dict(admin2, a2),
    { kind: "num", type: "float64", length: rows, values: lat, valid: null },
    { kind: "num", type: "float64", length: rows, values: lng, valid: null },
  ];
  const names = ["timestamp", "feature", "value", "country", "admin1", "admin2", "lat", "lng"];
  const fields = names.map((name, i) => ({ name, type: (columns[i] as Column).type, nullable: false }));
  return { fields, columns, length: rows };
}

/** Runs the demo end to end and returns the summary lines it printed. */
export async function runDemo(opts: DemoOptions = {}): Promise<string[]> {
  const out = resolve(opts.out ?? "output");
  const rows = opts.rows ?? 1_000_000;
  const lines: string[] = [];
  const log = (s: string): void => { lines.push(s); (opts.log ?? console.log)(s); };
  const t0 = performance.now();
  rmSync(out, { recursive: true, force: true });
  mkdirSync(`${out}/input`, { recursive: true });
  const batch = generateClimate(rows);
  const input = `${out}/input/model-output.parquet`;
  writeFileSync(input, writeParquet([batch], batch.fields, { rowGroupSize: 131_072 }));
  const t1 = performance.now();
  log(`generated ${rows.toLocaleString("en-US")} rows of model output -> ${input} (${((t1 - t0) / 1000).toFixed(2)} s)`);

  const source = scanParquet(input);
  const regional = ["feature", "country", "admin1"];
  const results: [string, number][] = [];
  for (const [name, unit] of [["monthly", "month"], ["yearly", "year"]] as const) {
    const s = performance.now();
    const agg = source
      .withColumns(col("timestamp").dt.truncate(unit).alias("period"))
      .groupBy("period", ...regional)
      .agg(col("value").sum().alias("sum"), col("value").mean().alias("mean"), len().alias("count"))
      .sort(["feature", "country", "admin1", "period"]);
    const res = await agg.sinkParquet(`${out}/${name}`, { progress: false });
    const secs = (performance.now() - s) / 1000;
    results.push([name, res.rows]);
    log(`${name.padEnd(8)} ${String(res.rows).padStart(6)} rows in ${res.files.length} file(s) -> ${out}/${name} (${secs.toFixed(2)} s)`);
  }
  const check = await scanParquet(`${out}/yearly/*.parquet`).filter(col("feature").eq("temperature")).select(col("count").sum().alias("rows")).collect({ progress: false });
  const temperatureRows = Number(check.getChild("rows")?.get(0));
  log(`check: yearly temperature counts add up to ${temperatureRows.toLocaleString("en-US")} input rows`);
  log(`total ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  return lines;
}
