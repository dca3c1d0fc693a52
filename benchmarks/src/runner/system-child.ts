// Child process entry: runs one system's questions (load, then each question twice) and reports over IPC.
import { join } from "node:path";
import { GROUPBY_QUESTIONS } from "../questions/groupby.js";
import { JOIN_QUESTIONS } from "../questions/join.js";
import type { Question } from "../questions/question.js";
import type { BenchSystem, SystemSpec } from "../systems/system.js";
import type { ChildConfig, ChildMessage } from "./child-protocol.js";
import { PeakRss } from "./peak-rss.js";

function send(msg: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) { console.log(JSON.stringify(msg)); resolve(); return; }
    process.send(msg, undefined, undefined, () => resolve());
  });
}

const message = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

async function openSystem(spec: SystemSpec): Promise<BenchSystem> {
  switch (spec.engine) {
    case "tessera": return (await import("../systems/tessera.js")).TesseraSystem.open(spec.workers, spec.processes ?? true);
    case "duckdb": return (await import("../systems/duckdb.js")).DuckDbSystem.open();
    case "polars": return new (await import("../systems/polars.js")).PolarsSystem();
  }
}

export async function runChild(config: ChildConfig): Promise<void> {
  const all: readonly Question[] = config.questionSet === "groupby" ? GROUPBY_QUESTIONS : JOIN_QUESTIONS;
  const questions = config.questionIds ? all.filter((q) => config.questionIds!.includes(q.id)) : all;
  const rss = new PeakRss();
  let system: BenchSystem;
  try {
    system = await openSystem(config.system);
    rss.reset();
    const t0 = performance.now();
    await system.load(config.tables, config.mode);
    const loadMs = performance.now() - t0;
    await send({ kind: "ready", version: await system.version(), loadMs, loadPeakRss: rss.peak(), rssMethod: rss.method });
  } catch (e) {
    await send({ kind: "fatal", message: message(e) });
    return;
  }
  for (const q of questions) {
    for (let run = 1; run <= config.runs; run++) {
      try {
        await send({ kind: "start", question: q.id, run });
        rss.reset();
        const t0 = performance.now();
        const answer = await system.run(q);
        const ms = performance.now() - t0;
        const peakRss = rss.peak();
        const summary = await system.summarize(answer, q.check);
        const answerFile = join(config.answerDir, `${config.system.name}-${q.id}-run${run}.${system.answerExtension?.() ?? "parquet"}`);
        await system.writeAnswer(answer, answerFile);
        await system.drop(answer);
        await send({ kind: "run", question: q.id, run, ms, peakRss, summary, answerFile });
      } catch (e) {
        await send({ kind: "error", question: q.id, run, message: message(e) });
        break;
      }
    }
  }
  const movedBytes = system.movedBytes === undefined ? null : await system.movedBytes().catch(() => null);
  await system.close();
  rss.stop();
  await send({ kind: "done", movedBytes });
}

process.once("message", (config: ChildConfig) => {
  runChild(config).then(
    () => process.exit(0),
    async (e: unknown) => { await send({ kind: "fatal", message: message(e) }); process.exit(1); },
  );
});
