// Tessera through its public API: the embedded default, or a LocalCluster with N workers; answers as Arrow tables.
import { readFileSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import type { Table, Vector } from "apache-arrow";
import { LocalCluster, closeDefaultClient, scanParquet } from "tessera";
import { writeCsv } from "@tessera/io";
import { batchFromArrow } from "@tessera/kernels";
import type { LazyFrame } from "tessera";
import { SumAccumulator } from "../check/summary.js";
import type { AnswerSummary, ColumnSummary } from "../check/summary.js";
import { BENCH_ROOT } from "../data/data-dir.js";
import type { Question } from "../questions/question.js";
import type { Answer, BenchSystem, SourceMode } from "./system.js";

/** Tessera's version: the package version and the repository commit (with "+dirty" for uncommitted changes). */
export function tesseraVersion(): string {
  const root = join(BENCH_ROOT, "..");
  const pkg = JSON.parse(readFileSync(join(root, "packages", "tessera", "package.json"), "utf8")) as { version: string };
  let commit = "unknown commit";
  try {
    const git = (args: string[]) => execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    commit = git(["rev-parse", "--short", "HEAD"]) + (git(["status", "--porcelain", "--untracked-files=no"]) === "" ? "" : "+dirty");
  } catch { /* not a git checkout */ }
  return `tessera ${pkg.version} (${commit})`;
}

/** Sums a numeric Arrow column chunk by chunk, reading typed arrays and validity bitmaps directly. */
export function summarizeVector(v: Vector): ColumnSummary {
  const acc = new SumAccumulator();
  for (const d of v.data) {
    // Fixed-width values are sliced to the chunk already; the validity bitmap is not (it starts at d.offset).
    const values = d.values as ArrayLike<number | bigint> | undefined;
    if (values === undefined || d.dictionary !== undefined || values.length < d.length) {
      throw new Error(`column of type ${String(d.type)} is not a plain numeric column`);
    }
    const bitmap = d.nullCount > 0 ? d.nullBitmap : undefined;
    for (let i = 0; i < d.length; i++) {
      const j = d.offset + i;
      if (bitmap !== undefined && bitmap.length > 0 && (((bitmap[j >> 3] as number) >> (j & 7)) & 1) === 0) acc.add(null);
      else acc.add(values[i]);
    }
  }
  return acc.result();
}

export class TesseraSystem implements BenchSystem {
  private frames: Record<string, LazyFrame> = {};

  private constructor(private readonly cluster: LocalCluster | null) {}

  /**
   * `workers` absent: the embedded default (collect() with no client). Otherwise a LocalCluster of that many workers:
   * a scheduler process and worker processes over WebSockets (the default), or in this process (`processes` false).
   */
  static async open(workers?: number, processes = true): Promise<TesseraSystem> {
    return new TesseraSystem(workers === undefined ? null : await LocalCluster.start({ workers, processes }));
  }

  async version(): Promise<string> {
    return tesseraVersion();
  }

  private execOptions() {
    return this.cluster === null ? { progress: false } : { client: this.cluster.client, progress: false };
  }

  private collect(frame: LazyFrame): Promise<Table> {
    return frame.collect(this.execOptions());
  }

  /** Parquet mode: the timed load collects every column once; memory mode: persist() holds the partitions in the workers. */
  async load(tables: Readonly<Record<string, string>>, mode: SourceMode): Promise<void> {
    for (const [name, path] of Object.entries(tables)) {
      if (mode === "memory") {
        this.frames[name] = await scanParquet(path).persist(this.execOptions());
      } else {
        await this.collect(scanParquet(path));
        this.frames[name] = scanParquet(path);
      }
    }
  }

  run(q: Question): Promise<Answer> {
    return this.collect(q.tessera(this.frames));
  }

  async summarize(answer: Answer, check: readonly string[]): Promise<AnswerSummary> {
    const table = answer as Table;
    const columns: Record<string, ColumnSummary> = {};
    for (const c of check) {
      const v = table.getChild(c);
      if (v === null) throw new Error(`tessera answer has no column ${c}; it has ${table.schema.fields.map((f) => f.name).join(", ")}`);
      columns[c] = summarizeVector(v);
    }
    return { rows: table.numRows, columns };
  }

  /**
   * CSV, written in JavaScript: a Parquet writer's WebAssembly memory would grow in this process and never shrink,
   * adding to the resident memory measured for the next questions.
   */
  async writeAnswer(answer: Answer, path: string): Promise<void> {
    const b = batchFromArrow(answer as Table);
    writeFileSync(path, writeCsv([b], b.fields));
  }

  answerExtension(): string {
    return "csv";
  }

  async drop(): Promise<void> {}

  /**
   * Bytes the workers fetched from each other since the cluster started: the sum of the workers' fetchedBytes in the
   * scheduler's /api/status. Workers report it on their heartbeats (every second), so this waits 1.5 s first.
   */
  async movedBytes(): Promise<number | null> {
    const url = this.cluster?.dashboardUrl ?? null;
    if (url === null) return null;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const status = (await (await fetch(new URL("/api/status", url))).json()) as { workers?: { fetchedBytes?: number }[] };
    if (status.workers === undefined || status.workers.some((w) => typeof w.fetchedBytes !== "number")) return null;
    return status.workers.reduce((a, w) => a + (w.fetchedBytes as number), 0);
  }

  async close(): Promise<void> {
    for (const f of Object.values(this.frames)) await f.release();
    if (this.cluster !== null) await this.cluster.close();
    await closeDefaultClient();
  }
}
