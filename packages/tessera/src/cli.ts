#!/usr/bin/env node
// The tessera command line: `tessera scheduler`, `tessera worker <url>` and `tessera demo`.
import { closeDefaultClient } from "@tessera/cluster";
import { SCHEDULER_USAGE, schedulerCommand } from "./commands/scheduler-command.js";
import { WORKER_USAGE, workerCommand } from "./commands/worker-command.js";
import { REPLAY_USAGE, replayCommand } from "./commands/replay-command.js";
import { runDemo } from "./demo.js";

const USAGE = `usage:
  ${SCHEDULER_USAGE}
  ${WORKER_USAGE}
  ${REPLAY_USAGE}
  tessera demo [--out DIR] [--rows N]   run the main job on the default client (TESSERA_SCHEDULER or embedded)
  tessera causemos --model-id M --run-id R --out file://DIR|s3://BUCKET|none [...] FILES...   the Causemos pipeline
Environment: TESSERA_TOKEN (shared secret; sent only over wss:// off this machine), TESSERA_SCHEDULER (ws:// or
wss:// URL used by demo and scripts), TESSERA_TLS_CA (PEM file of the cluster's CA), TESSERA_TLS_SERVERNAME (the name
the cluster's certificate carries, when it is not the host's), TESSERA_STORAGE_SCOPE (comma-separated URL prefixes),
TESSERA_FUNCTIONS_DIR (colon-separated directories of mapBatches modules).
Servers listen on 127.0.0.1 unless --host says otherwise; off loopback they need TESSERA_TOKEN or --insecure.
`;

const CAUSEMOS_MODULE = "@tessera/causemos";

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case "scheduler":
      return schedulerCommand(rest);
    case "worker":
      return workerCommand(rest);
    case "replay":
      return replayCommand(rest);
    case "demo": {
      const out = flag(rest, "--out");
      const rows = flag(rest, "--rows");
      await runDemo({ ...(out ? { out } : {}), ...(rows ? { rows: Number(rows) } : {}) });
      return 0;
    }
    case "causemos": {
      // Loaded by name at run time: @tessera/causemos builds on this package, so it cannot be a compile-time import.
      const { causemosCommand } = (await import(CAUSEMOS_MODULE)) as { causemosCommand: (args: readonly string[]) => Promise<number> };
      return causemosCommand(rest);
    }
    case undefined: case "-h": case "--help":
      process.stdout.write(USAGE);
      return cmd === undefined ? 1 : 0;
    default:
      process.stderr.write(`tessera: unknown command "${cmd}"\n${USAGE}`);
      return 2;
  }
}

const command = process.argv[2];
// Started by LocalCluster: exit when the parent goes (its end of our stdin closes), never linger as an orphan.
if (process.env["TESSERA_EXIT_WITH_PARENT"] === "1") {
  process.stdin.on("end", () => process.exit(0));
  process.stdin.resume();
}
main(process.argv.slice(2))
  .then(async (code) => {
    await closeDefaultClient();
    // Long-running commands have closed their sockets and threads; exit now rather than wait on stray handles.
    if (command === "scheduler" || command === "worker") process.exit(code);
    process.exitCode = code;
  })
  .catch(async (e: unknown) => {
    const code = typeof (e as { code?: unknown }).code === "string" ? ` ${(e as { code: string }).code}` : "";
    process.stderr.write(`tessera: ${e instanceof Error ? `${e.name}${code}: ${e.message}` : String(e)}\n`);
    await closeDefaultClient().catch(() => undefined);
    if (command === "scheduler" || command === "worker") process.exit(1);
    process.exitCode = 1;
  });
