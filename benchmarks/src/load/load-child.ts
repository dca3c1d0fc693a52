// Child process entry of the load suite: one system loads the file (every column, then each single column) and reports.
import { openSync, readSync, closeSync } from "node:fs";
import { PeakRss } from "../runner/peak-rss.js";
import type { LoadCase, LoadChildConfig, LoadChildMessage, LoadSystemName } from "./load-protocol.js";

function send(msg: LoadChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) { console.log(JSON.stringify(msg)); resolve(); return; }
    process.send(msg, undefined, undefined, () => resolve());
  });
}

/** Loads `columns` (null: all) of the file and returns its row count and, for a one-column load, the column's sum. */
type Loader = (columns: readonly string[] | null) => Promise<{ rows: number; sum: number | null }>;

async function tesseraLoader(path: string, batches: boolean): Promise<Loader> {
  const { scanParquet } = await import("tessera");
  const { summarizeVector } = await import("../systems/tessera.js");
  const arrow = await import("apache-arrow");
  return async (columns) => {
    const frame = columns === null ? scanParquet(path) : scanParquet(path).select(...columns);
    if (batches) {
      // Parquet → Tessera batches held in the cluster: no conversion to an Arrow table on the client.
      const held = await frame.persist({ progress: false });
      await held.release();
      return { rows: -1, sum: null };
    }
    const t = await frame.collect({ progress: false });
    const v = columns?.length === 1 ? t.getChild(columns[0] as string) : null;
    return { rows: t.numRows, sum: v === null || !arrow.DataType.isFloat(v.type) && !arrow.DataType.isInt(v.type) ? null : summarizeVector(v).sum };
  };
}

async function duckdbLoader(path: string): Promise<Loader> {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const conn = await (await DuckDBInstance.create(":memory:")).connect();
  const lit = `'${path.replaceAll("'", "''")}'`;
  return async (columns) => {
    const sel = columns === null ? "*" : columns.map((c) => `"${c}"`).join(", ");
    await conn.run(`CREATE OR REPLACE TABLE t AS SELECT ${sel} FROM read_parquet(${lit})`);
    const r = (await conn.runAndReadAll(`SELECT count(*), ${columns?.length === 1 ? `sum(TRY_CAST("${columns[0]}" AS DOUBLE))` : "NULL"} FROM t`)).getRows()[0] ?? [];
    await conn.run("DROP TABLE t");
    return { rows: Number(r[0]), sum: r[1] === null || r[1] === undefined ? null : Number(r[1]) };
  };
}

async function polarsLoader(path: string): Promise<Loader> {
  const pl = (await import("nodejs-polars")).default;
  return async (columns) => {
    const df = columns === null ? pl.readParquet(path) : pl.readParquet(path, { columns: [...columns] });
    const c = columns?.length === 1 ? df.getColumn(columns[0] as string) : null;
    return { rows: df.height, sum: c === null || !c.isNumeric() ? null : Number(c.sum()) };
  };
}

/** The page-cache baseline: reads the byte ranges with read(2) into one reused buffer, touching nothing else. */
function streamLoader(path: string, ranges: LoadChildConfig["ranges"]): Loader {
  const buf = Buffer.allocUnsafe(8 << 20);
  return async (columns) => {
    const fd = openSync(path, "r");
    try {
      for (const r of ranges[columns === null ? "*" : (columns[0] as string)] ?? []) {
        for (let pos = r.start; pos < r.end;) pos += readSync(fd, buf, 0, Math.min(buf.length, r.end - pos), pos);
      }
    } finally {
      closeSync(fd);
    }
    return { rows: -1, sum: null };
  };
}

const LOADERS: Readonly<Record<LoadSystemName, (c: LoadChildConfig) => Promise<Loader>>> = {
  "tessera": (c) => tesseraLoader(c.path, false),
  "tessera-batches": (c) => tesseraLoader(c.path, true),
  "duckdb": (c) => duckdbLoader(c.path),
  "polars": (c) => polarsLoader(c.path),
  "page-cache": async (c) => streamLoader(c.path, c.ranges),
};

async function main(config: LoadChildConfig): Promise<void> {
  const load = await LOADERS[config.system](config);
  const rss = new PeakRss();
  for (const c of config.cases) {
    const columns: LoadCase = c;
    for (let run = 1; run <= config.runs; run++) {
      rss.reset();
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const { rows, sum } = await load(columns === "*" ? null : [columns]);
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(c0);
      await send({ kind: "run", case: columns, run, ms, cpuMs: (cpu.user + cpu.system) / 1000, peakRss: rss.peak(), rows, sum });
    }
  }
  rss.stop();
  await send({ kind: "done" });
}

process.once("message", (config: LoadChildConfig) => {
  main(config).then(
    () => process.exit(0),
    async (e: unknown) => { await send({ kind: "fatal", message: e instanceof Error ? e.message : String(e) }); process.exit(1); },
  );
});
