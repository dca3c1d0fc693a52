// `npm run bench -- <suite> [options]`: runs one suite, prints its tables, writes results/ and the README section.
import { machineInfo } from "./machine.js";
import { parseArgs, USAGE } from "./cli-args.js";
import type { CliArgs } from "./cli-args.js";
import { dateStamp, updateReadme, writeChart, writeResultJson } from "./report/publish.js";
import type { SuiteOptions, SuiteReport } from "./suites/suite.js";

async function runSuite(args: CliArgs, opts: SuiteOptions): Promise<SuiteReport> {
  switch (args.suite) {
    case "groupby": return (await import("./suites/groupby.js")).runGroupby(opts);
    case "join": return (await import("./suites/join.js")).runJoin(opts);
    case "scaling": return (await import("./suites/scaling.js")).runScaling(opts, args.workers);
    case "load": return (await import("./suites/load.js")).runLoad(opts, args.columns);
    case "scheduler": return (await import("./suites/scheduler.js")).runScheduler(opts, args.tasks, { runs: args.daskRuns ?? args.runs, ...(args.reuse ? { reuse: args.reuse } : {}) });
    case "simulate": return (await import("./suites/simulate.js")).runSimulate(opts, args.tasks[0], args.workers[0], args.seed);
  }
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) { console.log(USAGE); return 0; }
  const args = parseArgs(argv);
  const started = new Date();
  const machine = machineInfo();
  const command = `npm run bench -- ${argv.join(" ")}`;
  const log = (line: string) => console.error(line);
  log(`${command}  (${started.toISOString()})`);
  const opts: SuiteOptions = {
    size: args.size, mode: args.mode, runs: args.runs, timeoutMs: args.timeoutMs, machine, command, log,
    ...(args.only ? { only: args.only } : {}), ...(args.questions ? { questions: args.questions } : {}),
  };
  const report = await runSuite(args, opts);
  console.log(`\n${report.markdown}\n`);
  if (args.write) {
    const finished = new Date();
    const body = `### ${report.suite} (${dateStamp(finished)})\n\n${report.markdown}`;
    const json = writeResultJson(report.suite, finished, {
      suite: report.suite, command, startedAt: started.toISOString(), finishedAt: finished.toISOString(), machine, ...report.result,
    });
    if (report.svg !== null) writeChart(report.suite, report.svg);
    updateReadme(report.suite, body);
    log(`wrote ${json} and the ${report.suite} section of benchmarks/README.md`);
  }
  return report.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => { console.error(e instanceof Error ? e.message : e); process.exit(2); },
);
