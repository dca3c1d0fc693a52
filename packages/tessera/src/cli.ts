#!/usr/bin/env node
// The tessera command line: `tessera demo` now; `scheduler` and `worker` with the distributed runtime.
import { closeDefaultClient } from "@tessera/dataframe";
import { runDemo } from "./demo.js";
import "./index.js";

const USAGE = `usage:
  tessera demo [--out DIR] [--rows N]   run the main job on the embedded default
`;

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case "demo": {
      const out = flag(rest, "--out");
      const rows = flag(rest, "--rows");
      await runDemo({ ...(out ? { out } : {}), ...(rows ? { rows: Number(rows) } : {}) });
      return 0;
    }
    case undefined: case "-h": case "--help":
      process.stdout.write(USAGE);
      return cmd === undefined ? 1 : 0;
    default:
      process.stderr.write(`tessera: unknown command "${cmd}"\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2))
  .then(async (code) => { await closeDefaultClient(); process.exitCode = code; })
  .catch(async (e: unknown) => {
    process.stderr.write(`tessera: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}\n`);
    await closeDefaultClient().catch(() => undefined);
    process.exitCode = 1;
  });
