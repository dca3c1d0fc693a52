// The join suite: db-benchmark's J1 data (x, small, medium, big) and five join questions on the same systems.
import { j1Parquet } from "../data/j1.js";
import { sizeLabel } from "../data/data-dir.js";
import { JOIN_QUESTIONS } from "../questions/join.js";
import { runQuestionSuite } from "./question-suite.js";
import type { SuiteOptions, SuiteReport } from "./suite.js";

export async function runJoin(opts: SuiteOptions): Promise<SuiteReport> {
  opts.log(`J1 data, x of ${sizeLabel(opts.size)} rows ...`);
  const tables = await j1Parquet(opts.size);
  return runQuestionSuite(
    { suite: "join", questionSet: "join", questions: JOIN_QUESTIONS, tables, dataDescription: `J1 ${sizeLabel(opts.size)} rows` },
    opts,
  );
}
