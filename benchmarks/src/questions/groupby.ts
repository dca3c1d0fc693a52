// db-benchmark's ten group-by questions (groupby-duckdb.R, groupby-polars.py) for Tessera, DuckDB and Polars.
import { col, corr, len } from "tessera";
import pl from "nodejs-polars";
import type { Question } from "./question.js";

const ids = ["id1", "id2", "id3", "id4", "id5", "id6"];

export const GROUPBY_QUESTIONS: readonly Question[] = [
  {
    id: "q1", title: "sum v1 by id1",
    tessera: ({ x }) => x!.groupBy("id1").agg(col("v1").sum().alias("v1")),
    sql: "SELECT id1, sum(v1) AS v1 FROM x GROUP BY id1",
    polars: ({ x }) => x!.groupBy("id1").agg(pl.col("v1").sum().alias("v1")),
    check: ["v1"],
  },
  {
    id: "q2", title: "sum v1 by id1:id2",
    tessera: ({ x }) => x!.groupBy("id1", "id2").agg(col("v1").sum().alias("v1")),
    sql: "SELECT id1, id2, sum(v1) AS v1 FROM x GROUP BY id1, id2",
    polars: ({ x }) => x!.groupBy(["id1", "id2"]).agg(pl.col("v1").sum().alias("v1")),
    check: ["v1"],
  },
  {
    id: "q3", title: "sum v1 mean v3 by id3",
    tessera: ({ x }) => x!.groupBy("id3").agg(col("v1").sum().alias("v1"), col("v3").mean().alias("v3")),
    sql: "SELECT id3, sum(v1) AS v1, avg(v3) AS v3 FROM x GROUP BY id3",
    polars: ({ x }) => x!.groupBy("id3").agg(pl.col("v1").sum().alias("v1"), pl.col("v3").mean().alias("v3")),
    check: ["v1", "v3"],
  },
  {
    id: "q4", title: "mean v1:v3 by id4",
    tessera: ({ x }) => x!.groupBy("id4").agg(col("v1").mean().alias("v1"), col("v2").mean().alias("v2"), col("v3").mean().alias("v3")),
    sql: "SELECT id4, avg(v1) AS v1, avg(v2) AS v2, avg(v3) AS v3 FROM x GROUP BY id4",
    polars: ({ x }) => x!.groupBy("id4").agg(pl.col("v1").mean().alias("v1"), pl.col("v2").mean().alias("v2"), pl.col("v3").mean().alias("v3")),
    check: ["id4", "v1", "v2", "v3"],
  },
  {
    id: "q5", title: "sum v1:v3 by id6",
    tessera: ({ x }) => x!.groupBy("id6").agg(col("v1").sum().alias("v1"), col("v2").sum().alias("v2"), col("v3").sum().alias("v3")),
    sql: "SELECT id6, sum(v1) AS v1, sum(v2) AS v2, sum(v3) AS v3 FROM x GROUP BY id6",
    polars: ({ x }) => x!.groupBy("id6").agg(pl.col("v1").sum().alias("v1"), pl.col("v2").sum().alias("v2"), pl.col("v3").sum().alias("v3")),
    check: ["id6", "v1", "v2", "v3"],
  },
  {
    id: "q6", title: "median v3 sd v3 by id4 id5",
    tessera: ({ x }) => x!.groupBy("id4", "id5").agg(col("v3").median().alias("median_v3"), col("v3").std().alias("sd_v3")),
    sql: "SELECT id4, id5, quantile_cont(v3, 0.5) AS median_v3, stddev(v3) AS sd_v3 FROM x GROUP BY id4, id5",
    polars: ({ x }) => x!.groupBy(["id4", "id5"]).agg(pl.col("v3").median().alias("median_v3"), pl.col("v3").std().alias("sd_v3")),
    check: ["id4", "id5", "median_v3", "sd_v3"],
  },
  {
    id: "q7", title: "max v1 - min v2 by id3",
    tessera: ({ x }) => x!.groupBy("id3").agg(col("v1").max().sub(col("v2").min()).alias("range_v1_v2")),
    sql: "SELECT id3, max(v1) - min(v2) AS range_v1_v2 FROM x GROUP BY id3",
    polars: ({ x }) => x!.groupBy("id3").agg(pl.col("v1").max().sub(pl.col("v2").min()).alias("range_v1_v2")),
    check: ["range_v1_v2"],
  },
  {
    id: "q8", title: "largest two v3 by id6",
    tessera: ({ x }) =>
      x!.filter(col("v3").isNotNull()).sort("v3", { descending: true }).groupBy("id6").head(2)
        .select(col("id6"), col("v3").alias("largest2_v3")),
    sql: "SELECT id6, v3 AS largest2_v3 FROM (SELECT id6, v3, row_number() OVER (PARTITION BY id6 ORDER BY v3 DESC) AS order_v3 FROM x WHERE v3 IS NOT NULL) sub_query WHERE order_v3 <= 2",
    polars: ({ x }) =>
      x!.dropNulls("v3").sort("v3", true).groupBy("id6").head(2).select(pl.col("id6"), pl.col("v3").alias("largest2_v3")),
    check: ["id6", "largest2_v3"],
  },
  {
    id: "q9", title: "regression v1 v2 by id2 id4",
    tessera: ({ x }) => x!.groupBy("id2", "id4").agg(corr("v1", "v2").pow(2).alias("r2")),
    sql: "SELECT id2, id4, pow(corr(v1, v2), 2) AS r2 FROM x GROUP BY id2, id4",
    polars: ({ x }) => x!.groupBy(["id2", "id4"]).agg(pl.pearsonCorr("v1", "v2").pow(2).alias("r2")),
    check: ["id4", "r2"],
  },
  {
    id: "q10", title: "sum v3 count by id1:id6",
    tessera: ({ x }) => x!.groupBy(...ids).agg(col("v3").sum().alias("v3"), len().alias("count")),
    sql: "SELECT id1, id2, id3, id4, id5, id6, sum(v3) AS v3, count(*) AS count FROM x GROUP BY id1, id2, id3, id4, id5, id6",
    polars: ({ x }) => x!.groupBy(ids).agg(pl.col("v3").sum().alias("v3"), pl.len().alias("count")),
    check: ["id4", "id5", "id6", "v3", "count"],
  },
];
