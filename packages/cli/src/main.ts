#!/usr/bin/env node
// The tessera command line: one table of commands, from the cluster's processes to the reference pipeline and its map.
import { REPLAY_USAGE, SCHEDULER_USAGE, WORKER_USAGE, closeDefaultClient, replayCommand, schedulerCommand, workerCommand } from "tessera";
import { CAUSEMOS_USAGE, causemosCommand } from "@tessera/causemos";
import { DEMO_USAGE, demoCommand } from "./demo.js";
import { MAP_USAGE, mapCommand } from "./map-command.js";

/** A command: its usage line and what runs it (the words after its name in, an exit code out). */
interface Command {
  readonly usage: string;
  run(args: readonly string[]): Promise<number>;
  /** Servers run until a signal and exit at once after (their threads and sockets are closed by then). */
  readonly server?: boolean;
}

const COMMANDS: Readonly<Record<string, Command>> = {
  scheduler: { usage: SCHEDULER_USAGE, run: schedulerCommand, server: true },
  worker: { usage: WORKER_USAGE, run: workerCommand, server: true },
  replay: { usage: REPLAY_USAGE, run: async (args) => replayCommand(args) },
  demo: { usage: DEMO_USAGE, run: demoCommand },
  causemos: { usage: CAUSEMOS_USAGE, run: causemosCommand },
  map: { usage: MAP_USAGE, run: mapCommand, server: true },
};

export const USAGE = `usage:
${Object.values(COMMANDS).map((c) => `  ${c.usage}`).join("\n")}
Environment: TESSERA_TOKEN (shared secret; sent only over wss:// off this machine), TESSERA_SCHEDULER (ws:// or
wss:// URL used by demo, causemos and scripts), TESSERA_TLS_CA (PEM file of the cluster's CA), TESSERA_TLS_SERVERNAME (the name
the cluster's certificate carries, when it is not the host's), TESSERA_STORAGE_SCOPE (comma-separated URL prefixes),
TESSERA_FUNCTIONS_DIR (colon-separated directories of mapBatches modules).
Servers listen on 127.0.0.1 unless --host says otherwise; off loopback they need TESSERA_TOKEN or --insecure.
`;

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "-h" || name === "--help") {
    process.stdout.write(USAGE);
    return name === undefined ? 1 : 0;
  }
  const cmd = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (cmd === undefined) {
    process.stderr.write(`tessera: unknown command "${name}"\n${USAGE}`);
    return 2;
  }
  return cmd.run(rest);
}

const server = COMMANDS[process.argv[2] ?? ""]?.server === true;
main(process.argv.slice(2))
  .then(async (code) => {
    await closeDefaultClient();
    // Long-running commands have closed their sockets and threads; exit now rather than wait on stray handles.
    if (server) process.exit(code);
    process.exitCode = code;
  })
  .catch(async (e: unknown) => {
    const code = typeof (e as { code?: unknown }).code === "string" ? ` ${(e as { code: string }).code}` : "";
    process.stderr.write(`tessera: ${e instanceof Error ? `${e.name}${code}: ${e.message}` : String(e)}\n`);
    await closeDefaultClient().catch(() => undefined);
    if (server) process.exit(1);
    process.exitCode = 1;
  });
