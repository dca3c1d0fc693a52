// The ten db-benchmark group-by questions, each as a Tessera query and as db-benchmark's DuckDB SQL.
import { col, corr, len } from "tessera";
import type { scanParquet } from "tessera";
import type { CompareOptions } from "./compare.js";

export type Frame = ReturnType<typeof scanParquet>;

export interface Question {
  name: string;
  /** The query through Tessera's public API. */
  tessera: (x: Frame) => Frame;
  /** db-benchmark's DuckDB SQL (duckdb/groupby-duckdb.R), over table `x`. */
  sql: string;
  compare: CompareOptions;
}

const ids = ["id1", "id2", "id3", "id4", "id5", "id6"];

/** The ten db-benchmark group-by questions. */
export const QUESTIONS: Question[] = [
  {
    name: "q1 sum v1 by id1",
    tessera: (x) => x.groupBy("id1").agg(col("v1").sum().alias("v1")),
    sql: "SELECT id1, sum(v1) AS v1 FROM x GROUP BY id1",
    compare: { keys: ["id1"] },
  },
  {
    name: "q2 sum v1 by id1:id2",
    tessera: (x) => x.groupBy("id1", "id2").agg(col("v1").sum().alias("v1")),
    sql: "SELECT id1, id2, sum(v1) AS v1 FROM x GROUP BY id1, id2",
    compare: { keys: ["id1", "id2"] },
  },
  {
    name: "q3 sum v1 mean v3 by id3",
    tessera: (x) => x.groupBy("id3").agg(col("v1").sum().alias("v1"), col("v3").mean().alias("v3")),
    sql: "SELECT id3, sum(v1) AS v1, avg(v3) AS v3 FROM x GROUP BY id3",
    compare: { keys: ["id3"] },
  },
  {
    name: "q4 mean v1:v3 by id4",
    tessera: (x) => x.groupBy("id4").agg(col("v1").mean().alias("v1"), col("v2").mean().alias("v2"), col("v3").mean().alias("v3")),
    sql: "SELECT id4, avg(v1) AS v1, avg(v2) AS v2, avg(v3) AS v3 FROM x GROUP BY id4",
    compare: { keys: ["id4"] },
  },
  {
    name: "q5 sum v1:v3 by id6",
    tessera: (x) => x.groupBy("id6").agg(col("v1").sum().alias("v1"), col("v2").sum().alias("v2"), col("v3").sum().alias("v3")),
    sql: "SELECT id6, sum(v1) AS v1, sum(v2) AS v2, sum(v3) AS v3 FROM x GROUP BY id6",
    compare: { keys: ["id6"] },
  },
  {
    name: "q6 median v3 sd v3 by id4 id5",
    tessera: (x) => x.groupBy("id4", "id5").agg(col("v3").median().alias("median_v3"), col("v3").std().alias("sd_v3")),
    sql: "SELECT id4, id5, quantile_cont(v3, 0.5) AS median_v3, stddev(v3) AS sd_v3 FROM x GROUP BY id4, id5",
    compare: { keys: ["id4", "id5"] },
  },
  {
    name: "q7 max v1 - min v2 by id3",
    tessera: (x) => x.groupBy("id3").agg(col("v1").max().sub(col("v2").min()).alias("range_v1_v2")),
    sql: "SELECT id3, max(v1)-min(v2) AS range_v1_v2 FROM x GROUP BY id3",
    compare: { keys: ["id3"] },
  },
  {
    name: "q8 largest two v3 by id6",
    tessera: (x) =>
      x.filter(col("v3").isNotNull())
        .sort("v3", { descending: true })
        .groupBy("id6")
        .head(2)
        .select(col("id6"), col("v3").alias("largest2_v3")),
    sql: "SELECT id6, v3 AS largest2_v3 FROM (SELECT id6, v3, row_number() OVER (PARTITION BY id6 ORDER BY v3 DESC) AS order_v3 FROM x WHERE v3 IS NOT NULL) sub_query WHERE order_v3 <= 2",
    // Sorted by id6 then the value itself, so each group's two values line up.
    compare: { keys: ["id6"] },
  },
  {
    name: "q9 regression v1 v2 by id2 id4",
    tessera: (x) => x.groupBy("id2", "id4").agg(corr("v1", "v2").pow(2).alias("r2")),
    sql: "SELECT id2, id4, pow(corr(v1, v2), 2) AS r2 FROM x GROUP BY id2, id4",
    // v1 and v2 are small integers: a group whose covariance is exactly 0 has r2 = 0 up to rounding noise.
    compare: { keys: ["id2", "id4"], absTol: 1e-12 },
  },
  {
    name: "q10 sum v3 count by id1:id6",
    tessera: (x) => x.groupBy(...ids).agg(col("v3").sum().alias("v3"), len().alias("count")),
    sql: "SELECT id1, id2, id3, id4, id5, id6, sum(v3) AS v3, count(*) AS count FROM x GROUP BY id1, id2, id3, id4, id5, id6",
    compare: { keys: ids },
  },
];
