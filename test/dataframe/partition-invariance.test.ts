// Results do not depend on partitioning or cluster shape: the same query gives bit-identical rows every way it runs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { col, len, LocalCluster, scanParquet } from "tessera";
import { expectSameRows } from "../support/compare.js";
import type { Rows } from "../support/compare.js";
import { QUESTIONS } from "../support/db-benchmark.js";
import type { Frame } from "../support/db-benchmark.js";
import { closeDuck, duckRows, duckRun, sqlString } from "../support/duck.js";
import { collectRows, engineLanded } from "../support/engine.js";
import { G1_COLUMNS, g1Parquet } from "../support/g1.js";

type Cluster = Awaited<ReturnType<typeof LocalCluster.start>>;

/** One way of running a query: a partition count for the scan and, optionally, an explicit cluster. */
interface Setup {
  label: string;
  partitions: number;
  cluster?: { workers: number; threads: number };
}

/** Each test runs its query six times over 2e5 rows (q10 returns ~2e5 groups each time). */
const HEAVY_MS = 300_000;

const SETUPS: Setup[] = [
  { label: "1 partition", partitions: 1 },
  { label: "2 partitions", partitions: 2 },
  { label: "8 partitions", partitions: 8 },
  { label: "LocalCluster 1 worker x 1 thread, 8 partitions", partitions: 8, cluster: { workers: 1, threads: 1 } },
  { label: "LocalCluster 1 worker x 2 threads, 8 partitions", partitions: 8, cluster: { workers: 1, threads: 2 } },
  { label: "LocalCluster 2 workers x 1 thread, 8 partitions", partitions: 8, cluster: { workers: 2, threads: 1 } },
];

describe.skipIf(!engineLanded)("partition and cluster invariance on G1 2e5 rows (5% nulls, 20 row groups)", () => {
  let path = "";
  const clusters = new Map<string, Cluster>();

  beforeAll(async () => {
    path = await g1Parquet({ n: 200_000, k: 100, nas: 5, rowGroupSize: 10_000 });
    await duckRun(`CREATE OR REPLACE TABLE x AS SELECT * FROM read_parquet(${sqlString(path)})`);
    for (const s of SETUPS) {
      if (s.cluster === undefined) continue;
      // dashboardPort 0: any free port, so clusters in parallel test files do not collide.
      clusters.set(s.label, await LocalCluster.start({ ...s.cluster, dashboardPort: 0 }));
    }
  });

  afterAll(async () => {
    for (const c of clusters.values()) await c.close();
    await closeDuck();
  });

  /** Runs `query` under every setup; returns the rows per setup label. */
  async function runEverywhere(query: (x: Frame) => Frame): Promise<Map<string, Rows>> {
    const out = new Map<string, Rows>();
    for (const s of SETUPS) {
      const frame = query(scanParquet(path, { partitions: s.partitions }));
      const client = clusters.get(s.label)?.client;
      out.set(s.label, await collectRows(frame, client === undefined ? undefined : { client }));
    }
    return out;
  }

  /** Every setup's rows equal the first setup's bit for bit (rows matched by `keys` unless order matters). */
  function expectIdentical(results: Map<string, Rows>, keys: string[], orderMatters = false): Rows {
    const [first, ...rest] = [...results.entries()];
    if (first === undefined) throw new Error("no setups ran");
    const [baseLabel, base] = first;
    for (const [label, rows] of rest) {
      try {
        expectSameRows(rows, base, { orderMatters, exact: true, keys });
      } catch (e) {
        throw new Error(`${label} differs from ${baseLabel}:\n${(e as Error).message}`);
      }
    }
    return base;
  }

  for (const q of QUESTIONS) {
    it(`${q.name}: identical under every setup, and equal to DuckDB`, async () => {
      const base = expectIdentical(await runEverywhere(q.tessera), q.compare.keys ?? []);
      expectSameRows(base, await duckRows(q.sql), { relTol: 1e-9, ...q.compare });
    }, HEAVY_MS);
  }

  it("a global aggregate of floats is identical under every setup", async () => {
    const query = (x: Frame) => x.select(
      col("v3").sum().alias("sum_v3"), col("v3").mean().alias("mean_v3"), col("v3").std().alias("sd_v3"),
      col("v3").var().alias("var_v3"), col("v3").median().alias("median_v3"), len().alias("n"),
    );
    const base = expectIdentical(await runEverywhere(query), []);
    const expected = await duckRows(`SELECT sum(v3) AS sum_v3, avg(v3) AS mean_v3, stddev_samp(v3) AS sd_v3,
      var_samp(v3) AS var_v3, quantile_cont(v3, 0.5) AS median_v3, count(*) AS n FROM x`);
    expectSameRows(base, expected, { relTol: 1e-9 });
  }, HEAVY_MS);

  it("a multi-key sort is identical, row for row, under every setup (stable on ties)", async () => {
    // (id1, v1, v3) has ties, so the order within them is the stable one: the file's order.
    const query = (x: Frame) => x.sort(["id1", "v1", "v3"], { descending: [false, true, false], nullsLast: true });
    const base = expectIdentical(await runEverywhere(query), [], true);
    expect(base.length).toBe(200_000);
    const expected = await duckRows(`SELECT ${G1_COLUMNS.join(", ")} FROM read_parquet(${sqlString(path)}, file_row_number = true)
      ORDER BY id1 ASC NULLS LAST, v1 DESC NULLS LAST, v3 ASC NULLS LAST, file_row_number`);
    expectSameRows(base, expected, { orderMatters: true, exact: true });
  }, HEAVY_MS);
});
