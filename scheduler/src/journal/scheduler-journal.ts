// The scheduler's journal: every stimulus appended (graphs synced before their tasks go out), compacted when idle, replayed on restart.
import { join } from "node:path";
import { InternalError, errorToInfo } from "@tessera/common";
import { silentLogger } from "@tessera/protocol";
import type { Logger, SchedulerMessage, SchedulerStimulus } from "@tessera/protocol";
import { SchedulerState } from "../state/scheduler-state.js";
import type { SchedulerOptions } from "../state/core.js";
import { JOURNAL_FILE, JournalFile, frameRecord, lockJournal, readRecords } from "./journal-file.js";
import { JOURNAL_VERSION, digestMessages, idNumber, recordedOptions } from "./journal-records.js";
import type { CheckpointRecord, HeaderRecord, JournalRecord, StimulusRecord } from "./journal-records.js";

export interface SchedulerJournalOptions {
  /** The journal's directory (created if missing; one scheduler at a time, see lockJournal). */
  readonly dir: string;
  readonly log?: Logger;
  /** Longest time (ms) appended records may stay unsynced to disk. Default 1000. */
  readonly syncMs?: number;
  /** Compact, when idle, once this many bytes were appended since the last compaction, even without a job ending. Default 8 MiB. */
  readonly compactBytes?: number;
}

/** What a journal held when it was opened. */
export interface JournalHistory {
  readonly header: HeaderRecord | null;
  readonly checkpoint: CheckpointRecord | null;
  readonly stimuli: readonly StimulusRecord[];
  /** Bytes of a torn record cut off the tail (a crash in the middle of a write). */
  readonly tornBytes: number;
}

/** What restoring from a journal did. */
export interface Restored {
  readonly state: SchedulerState;
  /** Stimuli replayed after the checkpoint. */
  readonly replayed: number;
  /** Of those, stimuli whose decisions differed from the recorded ones (0 unless the state machine is not pure). */
  readonly mismatches: number;
  /** The shell's id counter to continue from (client-N, worker-N). */
  readonly idSeq: number;
}

/** Reads and checks a journal's records (shared by the scheduler and `tessera replay`). */
export function readJournal(dir: string): JournalHistory {
  const { records, tornBytes } = readRecords(join(dir, JOURNAL_FILE));
  return historyOf(records as JournalRecord[], tornBytes);
}

function historyOf(records: readonly JournalRecord[], tornBytes: number): JournalHistory {
  let header: HeaderRecord | null = null;
  let checkpoint: CheckpointRecord | null = null;
  const stimuli: StimulusRecord[] = [];
  for (const r of records) {
    if (r.t === "header") {
      if (r.version !== JOURNAL_VERSION) throw new InternalError("JOURNAL_VERSION", `journal format ${r.version} is not supported (this build writes ${JOURNAL_VERSION})`);
      header = r;
    } else if (r.t === "checkpoint") checkpoint = r;
    else stimuli.push(r);
  }
  return { header, checkpoint, stimuli, tornBytes };
}

/**
 * Replays a journal's history through a new state machine: the checkpoint restored, then every stimulus handled in
 * order (the state machine is pure, so it takes the recorded decisions again; `observe` sees each stimulus and its
 * messages). Options come from the journal's header.
 */
export function replayHistory(
  h: JournalHistory, extra: SchedulerOptions = {},
  observe?: (s: SchedulerStimulus, out: readonly SchedulerMessage[], state: SchedulerState, same: boolean) => void,
): Restored {
  const options = { ...extra, ...(h.header?.options ?? {}) };
  const state = h.checkpoint === null ? new SchedulerState(options) : SchedulerState.restore(h.checkpoint.checkpoint, options);
  let idSeq = h.checkpoint?.idSeq ?? 0;
  let mismatches = 0;
  for (const r of h.stimuli) {
    if (r.s.op === "client-connected") idSeq = Math.max(idSeq, idNumber(r.s.clientId));
    else if (r.s.op === "worker-added") idSeq = Math.max(idSeq, idNumber(r.s.workerId));
    let out: SchedulerMessage[] | null;
    try {
      out = state.handle(r.s);
    } catch {
      out = null;
    }
    const d = out === null ? null : digestMessages(out);
    const same = d === null ? r.d === null : r.d !== null && r.d[0] === d[0] && r.d[1] === d[1];
    if (!same) mismatches++;
    observe?.(r.s, out ?? [], state, same);
  }
  return { state, replayed: h.stimuli.length, mismatches, idSeq };
}

/**
 * Durability (the fsync policy): a graph-submitted record is written and fdatasync'd before any message it causes is
 * sent, since a job's graph exists nowhere else on the cluster. Every other record is written (one write for all the
 * stimuli of an event-loop turn) before the messages they caused leave the process, which also queue their socket
 * writes on nextTick: so the journal of a killed process holds every stimulus whose effects anyone saw. Records are
 * synced at most `syncMs` later: losing that tail in a machine crash costs only work, because workers report the
 * results they hold when they rejoin and a client resubmits a job the scheduler does not know. Compaction writes a new
 * file and renames it over.
 */
export class SchedulerJournal {
  readonly history: JournalHistory;
  private readonly file: JournalFile;
  private readonly unlock: () => void;
  private readonly log: Logger;
  private header: HeaderRecord | null;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private flushQueued = false;
  private dirty = false;
  private readonly syncTimer: NodeJS.Timeout;
  private readonly compactBytes: number;
  private sinceCompaction = 0;
  private jobEnded = false;
  private broken = false;
  private idSeq = 0;
  /** Compactions so far (tests, logs). */
  compactions = 0;

  private constructor(readonly dir: string, options: SchedulerJournalOptions) {
    this.log = options.log ?? silentLogger;
    this.unlock = lockJournal(dir);
    const { records, validBytes, tornBytes } = readRecords(join(dir, JOURNAL_FILE));
    this.history = historyOf(records as JournalRecord[], tornBytes);
    this.header = this.history.header;
    this.file = JournalFile.open(dir, validBytes);
    this.compactBytes = options.compactBytes ?? 8 * 1024 * 1024;
    this.syncTimer = setInterval(() => this.sync(), options.syncMs ?? 1000);
    this.syncTimer.unref();
  }

  /** Opens (creating) the journal in `dir`, taking its lock; throws IoError JOURNAL_LOCKED if another scheduler has it. */
  static open(options: SchedulerJournalOptions): SchedulerJournal {
    return new SchedulerJournal(options.dir, options);
  }

  /** Whether an earlier scheduler process wrote here (its state is to be restored). */
  get hasHistory(): boolean {
    return this.header !== null;
  }

  /**
   * The state machine to run: replayed from the history when there is one, else new (and the header is written).
   * `observe` sees every replayed stimulus (the dashboard's recorder).
   */
  begin(options: SchedulerOptions, observe?: (s: SchedulerStimulus, out: readonly SchedulerMessage[], state: SchedulerState) => void): Restored {
    if (this.header === null) {
      this.header = { t: "header", version: JOURNAL_VERSION, options: recordedOptions(options), createdAt: Date.now() };
      this.file.rewrite(frameRecord(this.header));
      return { state: new SchedulerState(options), replayed: 0, mismatches: 0, idSeq: 0 };
    }
    const restored = replayHistory(this.history, options, observe);
    this.idSeq = restored.idSeq;
    if (restored.mismatches > 0) this.log.warn(`journal ${this.dir}: ${restored.mismatches} replayed stimuli decided differently than recorded`);
    if (this.history.tornBytes > 0) this.log.warn(`journal ${this.dir}: cut off ${this.history.tornBytes} bytes of a torn record at the end`);
    return restored;
  }

  /** Appends a handled stimulus and a digest of the messages it caused (null: the state machine threw). */
  record(stimulus: SchedulerStimulus, out: readonly SchedulerMessage[] | null): void {
    if (this.broken) return;
    if (stimulus.op === "client-connected") this.idSeq = Math.max(this.idSeq, idNumber(stimulus.clientId));
    else if (stimulus.op === "worker-added") this.idSeq = Math.max(this.idSeq, idNumber(stimulus.workerId));
    const frame = frameRecord({ t: "stimulus", s: stimulus, d: out === null ? null : digestMessages(out) } satisfies StimulusRecord);
    this.pending.push(frame);
    this.pendingBytes += frame.byteLength;
    this.sinceCompaction += frame.byteLength;
    if (out !== null && out.some((m) => m.op === "job-done" || m.op === "job-erred")) this.jobEnded = true;
    if (stimulus.op === "graph-submitted") {
      this.flush();
      this.sync();
    } else if (this.pendingBytes > 1024 * 1024) {
      this.flush();
    } else if (!this.flushQueued) {
      // Before this turn's socket writes (queued after this, also on nextTick): a message out means its stimulus is on disk.
      this.flushQueued = true;
      process.nextTick(() => this.flush());
    }
  }

  /**
   * After each stimulus: once a job has ended (or much was appended) and the scheduler is idle (no task, no job), the
   * journal is rewritten as its header and one checkpoint of the idle state.
   */
  maybeCompact(state: SchedulerState): void {
    if (this.broken || (!this.jobEnded && this.sinceCompaction < this.compactBytes)) return;
    const checkpoint = state.checkpoint();
    if (checkpoint === null || this.header === null) return;
    this.pending = [];
    this.pendingBytes = 0;
    const record: CheckpointRecord = { t: "checkpoint", checkpoint, idSeq: this.idSeq };
    this.guard(() => this.file.rewrite(Buffer.concat([frameRecord(this.header), frameRecord(record)])));
    this.jobEnded = false;
    this.sinceCompaction = 0;
    this.dirty = false;
    this.compactions++;
  }

  /** Bytes in the journal file now (after pending records are written). */
  get size(): number {
    this.flush();
    return this.file.size;
  }

  close(): void {
    clearInterval(this.syncTimer);
    this.flush();
    this.guard(() => this.file.close());
    this.unlock();
  }

  private flush(): void {
    this.flushQueued = false;
    if (this.pending.length === 0 || this.broken) return;
    const bytes = this.pending.length === 1 ? this.pending[0] as Buffer : Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    this.guard(() => this.file.append(bytes));
    this.dirty = true;
  }

  private sync(): void {
    if (!this.dirty || this.broken) return;
    this.flush();
    this.guard(() => this.file.sync());
    this.dirty = false;
  }

  /** A failed write stops the journal (what it holds stays a consistent prefix) and is logged, once. */
  private guard(f: () => void): void {
    try {
      f();
    } catch (e) {
      this.broken = true;
      this.log.error(`journal ${this.dir} stopped: ${errorToInfo(e).message}; a restart will resume from what it recorded until now`);
    }
  }
}
