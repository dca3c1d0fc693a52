// `tessera replay DIR`: replays a scheduler journal offline through the state machine and prints each task's story.
import { formatReplay, replayJournal } from "@tessera/scheduler";
import { parseFlags } from "./flags.js";

export const REPLAY_USAGE = "tessera replay DIR [--key KEY]...   replay a scheduler journal offline and print each task's story";

/** Exit 0 when every stimulus decided as recorded, 1 otherwise. */
export function replayCommand(args: readonly string[]): number {
  const p = parseFlags(args, ["key"]);
  const dir = p.positionals[0];
  if (dir === undefined) throw new Error(`a journal directory is needed: ${REPLAY_USAGE}`);
  const report = replayJournal(dir);
  process.stdout.write(formatReplay(dir, report, p.lists.get("key")));
  return report.mismatches === 0 ? 0 : 1;
}
