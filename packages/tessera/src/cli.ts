#!/usr/bin/env node
// The cluster processes' entry: `node dist/cli.js scheduler|worker|replay ...`, what LocalCluster starts. The `tessera`
// command users run is @tessera/cli, which offers these commands among others.
import { closeDefaultClient } from "@tessera/cluster";
import { SCHEDULER_USAGE, schedulerCommand } from "./commands/scheduler-command.js";
import { WORKER_USAGE, workerCommand } from "./commands/worker-command.js";
import { REPLAY_USAGE, replayCommand } from "./commands/replay-command.js";

const USAGE = `usage:
  ${SCHEDULER_USAGE}
  ${WORKER_USAGE}
  ${REPLAY_USAGE}
`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case "scheduler": return schedulerCommand(rest);
    case "worker": return workerCommand(rest);
    case "replay": return replayCommand(rest);
    case undefined: case "-h": case "--help":
      process.stdout.write(USAGE);
      return cmd === undefined ? 1 : 0;
    default:
      process.stderr.write(`tessera: unknown command "${cmd}"\n${USAGE}`);
      return 2;
  }
}

// Started by LocalCluster: exit when the parent goes (its end of our stdin closes), never linger as an orphan.
if (process.env["TESSERA_EXIT_WITH_PARENT"] === "1") {
  process.stdin.on("end", () => process.exit(0));
  process.stdin.resume();
}
main(process.argv.slice(2))
  .then(async (code) => {
    await closeDefaultClient();
    // The servers have closed their sockets and threads; exit now rather than wait on stray handles.
    process.exit(code);
  })
  .catch(async (e: unknown) => {
    const code = typeof (e as { code?: unknown }).code === "string" ? ` ${(e as { code: string }).code}` : "";
    process.stderr.write(`tessera: ${e instanceof Error ? `${e.name}${code}: ${e.message}` : String(e)}\n`);
    await closeDefaultClient().catch(() => undefined);
    process.exit(1);
  });
