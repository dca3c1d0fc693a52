// Polars through nodejs-polars: scanParquet per question (or readParquet once), answers as DataFrames.
import pl from "nodejs-polars";
import type { AnswerSummary, ColumnSummary } from "../check/summary.js";
import type { PolarsFrame, Question } from "../questions/question.js";
import type { Answer, BenchSystem, SourceMode } from "./system.js";

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

export class PolarsSystem implements BenchSystem {
  private frames: Record<string, PolarsFrame> = {};

  async version(): Promise<string> {
    return `nodejs-polars ${String(pl.version)}`;
  }

  async load(tables: Readonly<Record<string, string>>, mode: SourceMode): Promise<void> {
    for (const [name, path] of Object.entries(tables)) {
      const df = pl.readParquet(path);
      this.frames[name] = mode === "memory" ? df.lazy() : pl.scanParquet(path);
    }
  }

  run(q: Question): Promise<Answer> {
    return q.polars(this.frames).collect();
  }

  async summarize(answer: Answer, check: readonly string[]): Promise<AnswerSummary> {
    const df = answer as pl.DataFrame;
    const exprs = check.flatMap((c) => {
      const v = pl.col(c).cast(pl.Float64).fillNan(null);
      return [v.sum().alias(`s_${c}`), v.nullCount().alias(`m_${c}`)];
    });
    const row = df.select(...exprs).toRecords()[0] ?? {};
    const columns: Record<string, ColumnSummary> = {};
    for (const c of check) columns[c] = { sum: num(row[`s_${c}`]), missing: num(row[`m_${c}`]) };
    return { rows: df.height, columns };
  }

  async writeAnswer(answer: Answer, path: string): Promise<void> {
    (answer as pl.DataFrame).writeParquet(path);
  }

  async drop(): Promise<void> {}
  async close(): Promise<void> {}
}
