// The groupby suite: db-benchmark's G1 data and ten questions on Tessera (embedded, 2 workers), DuckDB and Polars.
import { g1Parquet } from "../data/g1.js";
import { sizeLabel } from "../data/data-dir.js";
import { GROUPBY_QUESTIONS } from "../questions/groupby.js";
import { runQuestionSuite } from "./question-suite.js";
import type { SuiteOptions, SuiteReport } from "./suite.js";

export async function runGroupby(opts: SuiteOptions): Promise<SuiteReport> {
  opts.log(`G1 data, ${sizeLabel(opts.size)} rows, K=100 ...`);
  const x = await g1Parquet(opts.size);
  return runQuestionSuite(
    { suite: "groupby", questionSet: "groupby", questions: GROUPBY_QUESTIONS, tables: { x }, dataDescription: `G1 ${sizeLabel(opts.size)} rows, K=100` },
    opts,
  );
}
