// `tessera replay DIR`: a journal replayed offline through the state machine, told as each task's story.
import type { StoryEntry } from "@tessera/protocol";
import { readJournal, replayHistory } from "./scheduler-journal.js";

export interface ReplayReport {
  /** Stimuli replayed (after the checkpoint, if the journal was compacted). */
  readonly stimuli: number;
  /** Stimuli whose messages differed from the recorded ones: 0 for a pure state machine. */
  readonly mismatches: number;
  /** The first few mismatching stimuli, by id. */
  readonly mismatchIds: readonly string[];
  readonly restarts: number;
  readonly compacted: boolean;
  readonly tornBytes: number;
  /** Every task's transitions, oldest first, by key in order of first appearance. */
  readonly stories: ReadonlyMap<string, readonly StoryEntry[]>;
  /** Messages the replay decided, and jobs still kept at the end. */
  readonly messages: number;
  readonly jobs: readonly string[];
}

/** Replays the journal in `dir` (read only: a running scheduler may be writing it). */
export function replayJournal(dir: string): ReplayReport {
  const history = readJournal(dir);
  let restarts = 0;
  let messages = 0;
  const mismatchIds: string[] = [];
  const { state, replayed, mismatches } = replayHistory(history, { storyCapacity: 50_000_000 }, (s, out, _state, same) => {
    if (s.op === "scheduler-restarted") restarts++;
    messages += out.length;
    if (!same && mismatchIds.length < 10) mismatchIds.push(s.stimulusId);
  });
  const stories = new Map<string, StoryEntry[]>();
  for (const e of state.transitions()) {
    const list = stories.get(e[0]);
    if (list === undefined) stories.set(e[0], [e]);
    else list.push(e);
  }
  return {
    stimuli: replayed, mismatches, mismatchIds, restarts, compacted: history.checkpoint !== null, tornBytes: history.tornBytes,
    stories, messages, jobs: state.jobIds(),
  };
}

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 23);
}

/** The report as text: a summary, then each task (or only `keys`) with one line per transition. */
export function formatReplay(dir: string, r: ReplayReport, keys?: readonly string[]): string {
  const lines = [
    `journal ${dir}: ${r.compacted ? "compacted to an idle checkpoint, then " : ""}${r.stimuli} stimuli, ${r.restarts} restarts` +
      (r.tornBytes > 0 ? `, ${r.tornBytes} bytes of a torn record ignored` : ""),
    r.mismatches === 0
      ? `replayed through the state machine: ${r.messages} messages, every stimulus decided as recorded`
      : `replayed through the state machine: ${r.mismatches} stimuli decided differently than recorded (first: ${r.mismatchIds.join(", ")})`,
    `jobs kept at the end: ${r.jobs.length === 0 ? "none" : r.jobs.join(", ")}`,
  ];
  const wanted = keys === undefined || keys.length === 0 ? [...r.stories.keys()] : keys;
  for (const key of wanted) {
    const story = r.stories.get(key) ?? [];
    lines.push("", `${key} (${story.length} transitions)`);
    for (const [, from, to, stimulusId, time] of story) lines.push(`  ${clock(time)}  ${`${from} -> ${to}`.padEnd(24)} ${stimulusId}`);
  }
  return `${lines.join("\n")}\n`;
}
