// db-benchmark's five join questions (join-duckdb.R, join-polars.py) over J1's x, small, medium and big tables.
import { col } from "tessera";
import pl from "nodejs-polars";
import type { Question } from "./question.js";

/** Sums of these columns (and the row count) check a join's answer: x's keys and values, and the right side's v2. */
const CHECK = ["id1", "id2", "id3", "v1", "v2"];

export const JOIN_QUESTIONS: readonly Question[] = [
  {
    id: "q1", title: "small inner on int",
    tessera: ({ x, small }) => x!.join(small!.select(col("id1"), col("id4").alias("small_id4"), col("v2")), { on: "id1" }),
    sql: "SELECT x.*, small.id4 AS small_id4, v2 FROM x JOIN small USING (id1)",
    polars: ({ x, small }) => x!.join(small!.select(pl.col("id1"), pl.col("id4").alias("small_id4"), pl.col("v2")), { on: "id1" }),
    check: CHECK,
  },
  {
    id: "q2", title: "medium inner on int",
    tessera: ({ x, medium }) =>
      x!.join(medium!.select(col("id1").alias("medium_id1"), col("id2"), col("id4").alias("medium_id4"), col("id5").alias("medium_id5"), col("v2")), { on: "id2" }),
    sql: "SELECT x.*, medium.id1 AS medium_id1, medium.id4 AS medium_id4, medium.id5 AS medium_id5, v2 FROM x JOIN medium USING (id2)",
    polars: ({ x, medium }) =>
      x!.join(medium!.select(pl.col("id1").alias("medium_id1"), pl.col("id2"), pl.col("id4").alias("medium_id4"), pl.col("id5").alias("medium_id5"), pl.col("v2")), { on: "id2" }),
    check: [...CHECK, "medium_id1"],
  },
  {
    id: "q3", title: "medium outer on int",
    tessera: ({ x, medium }) =>
      x!.join(medium!.select(col("id1").alias("medium_id1"), col("id2"), col("id4").alias("medium_id4"), col("id5").alias("medium_id5"), col("v2")), { on: "id2", how: "left" }),
    sql: "SELECT x.*, medium.id1 AS medium_id1, medium.id4 AS medium_id4, medium.id5 AS medium_id5, v2 FROM x LEFT JOIN medium USING (id2)",
    polars: ({ x, medium }) =>
      x!.join(medium!.select(pl.col("id1").alias("medium_id1"), pl.col("id2"), pl.col("id4").alias("medium_id4"), pl.col("id5").alias("medium_id5"), pl.col("v2")), { on: "id2", how: "left" }),
    check: [...CHECK, "medium_id1"],
  },
  {
    id: "q4", title: "medium inner on factor",
    tessera: ({ x, medium }) =>
      x!.join(medium!.select(col("id1").alias("medium_id1"), col("id2").alias("medium_id2"), col("id4").alias("medium_id4"), col("id5"), col("v2")), { on: "id5" }),
    sql: "SELECT x.*, medium.id1 AS medium_id1, medium.id2 AS medium_id2, medium.id4 AS medium_id4, v2 FROM x JOIN medium USING (id5)",
    polars: ({ x, medium }) =>
      x!.join(medium!.select(pl.col("id1").alias("medium_id1"), pl.col("id2").alias("medium_id2"), pl.col("id4").alias("medium_id4"), pl.col("id5"), pl.col("v2")), { on: "id5" }),
    check: [...CHECK, "medium_id1", "medium_id2"],
  },
  {
    id: "q5", title: "big inner on int",
    tessera: ({ x, big }) =>
      x!.join(big!.select(col("id1").alias("big_id1"), col("id2").alias("big_id2"), col("id3"), col("id4").alias("big_id4"), col("id5").alias("big_id5"), col("id6").alias("big_id6"), col("v2")), { on: "id3" }),
    sql: "SELECT x.*, big.id1 AS big_id1, big.id2 AS big_id2, big.id4 AS big_id4, big.id5 AS big_id5, big.id6 AS big_id6, v2 FROM x JOIN big USING (id3)",
    polars: ({ x, big }) =>
      x!.join(big!.select(pl.col("id1").alias("big_id1"), pl.col("id2").alias("big_id2"), pl.col("id3"), pl.col("id4").alias("big_id4"), pl.col("id5").alias("big_id5"), pl.col("id6").alias("big_id6"), pl.col("v2")), { on: "id3" }),
    check: [...CHECK, "big_id1", "big_id2"],
  },
];
