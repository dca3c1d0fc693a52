// What the scheduler's journal holds: a header, at most one checkpoint, then every stimulus with a digest of its decisions.
import { assertNever } from "@tessera/common";
import type { SchedulerMessage, SchedulerStimulus } from "@tessera/protocol";
import type { Checkpoint } from "../state/checkpoint.js";
import type { SchedulerOptions } from "../state/core.js";

export const JOURNAL_VERSION = 1;

/** The first record: the format version and the options the state machine ran with (replays must use the same). */
export interface HeaderRecord {
  readonly t: "header";
  readonly version: number;
  readonly options: SchedulerOptions;
  readonly createdAt: number;
}

/** The idle state the journal was compacted to (follows the header); `idSeq` is the shell's id counter then. */
export interface CheckpointRecord {
  readonly t: "checkpoint";
  readonly checkpoint: Checkpoint;
  readonly idSeq: number;
}

/**
 * One stimulus as the state machine handled it, and a digest of the messages it decided: [count, FNV-1a hash]
 * (null when the state machine threw on it). A replay recomputes the digest and compares.
 */
export interface StimulusRecord {
  readonly t: "stimulus";
  readonly s: SchedulerStimulus;
  readonly d: readonly [number, number] | null;
}

export type JournalRecord = HeaderRecord | CheckpointRecord | StimulusRecord;

/** The numeric suffix of an id the shell made ("client-7" -> 7), else 0: a restarted shell continues past it. */
export function idNumber(id: string): number {
  const m = /^(?:client|worker)-(\d+)$/.exec(id);
  return m === null ? 0 : Number(m[1]);
}

/** The options that change decisions, as recorded (validate only checks; it is left to whoever replays). */
export function recordedOptions(o: SchedulerOptions): SchedulerOptions {
  const out: Record<string, unknown> = {};
  for (const k of ["rootSlack", "maxWorkerDeaths", "progressIntervalMs", "rootBytesFraction", "stealing", "workerTimeoutMs", "rejoinGraceMs", "transferBytesPerMs"] as const) {
    if (o[k] !== undefined) out[k] = o[k];
  }
  return out as SchedulerOptions;
}

/**
 * A digest of decisions: what was sent to whom about which key or job and run (stimulus ids are left out). Cheap
 * enough for every stimulus: FNV-1a over a few short strings per message.
 */
export function digestMessages(out: readonly SchedulerMessage[]): readonly [number, number] {
  let h = 0x811c9dc5;
  const mix = (s: string): void => {
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    h ^= 0x1f;
    h = Math.imul(h, 0x01000193);
  };
  for (const m of out) {
    mix(m.op);
    switch (m.op) {
      case "compute-task": mix(m.workerId); mix(m.key); mix(String(m.runId)); break;
      case "free-keys": mix(m.workerId); for (const k of m.keys) mix(k); break;
      case "steal-request": mix(m.workerId); mix(m.key); mix(String(m.runId)); break;
      case "acquire-replicas": mix(m.workerId); for (const k of m.keys) mix(k.key); break;
      case "close-worker": case "rejoin": mix(m.workerId); break;
      case "job-progress": mix(m.clientId); mix(m.jobId); mix(String(m.done)); break;
      case "job-done": mix(m.clientId); mix(m.jobId); for (const o of m.outputs) { mix(o.key); for (const w of o.workerIds) mix(w); } break;
      case "job-erred": mix(m.clientId); mix(m.jobId); mix(m.error.code); break;
      case "job-unknown": mix(m.clientId); mix(m.jobId); break;
      case "worker-retired": mix(m.clientId); mix(m.workerId); mix(String(m.keys)); break;
      default: assertNever(m, "scheduler message");
    }
  }
  return [out.length, h >>> 0];
}
