// The scheduler shell: stamps time and stimulus ids on incoming messages, runs the state machine, routes its output.
import { assertNever } from "@tessera/common";
import { StatusRecorder } from "./dashboard/status-recorder.js";
import type { StatusRecorderOptions } from "./dashboard/status-recorder.js";
import type { ClusterStatus, JobGraphStatus, StatusSource } from "./dashboard/status-types.js";
import type { TaskSlots } from "./dashboard/task-view.js";
import type { SchedulerOptions } from "./state/core.js";
import { SchedulerState } from "./state/scheduler-state.js";
import type { SchedulerMessage, SchedulerStimulus, SchedulerToClient, SchedulerToWorker, ToScheduler } from "@tessera/protocol";
import { admissionError } from "./intake/graph-admission.js";
import type { GraphAdmission } from "./intake/graph-admission.js";
import type { SchedulerJournal } from "./journal/scheduler-journal.js";

/** How the server reaches its peers. The in-process hub implements it now; a WebSocket server will next. */
export interface SchedulerLink {
  toWorker(workerId: string, msg: SchedulerToWorker): void;
  toClient(clientId: string, msg: SchedulerToClient): void;
}

export interface SchedulerServerOptions extends SchedulerOptions {
  /** The clock (ms); injectable so tests can drive time. */
  readonly now?: () => number;
  /** Sizes of what is kept for the dashboard (task stream, finished jobs). */
  readonly status?: StatusRecorderOptions;
  /** Period (ms) of the tick stimulus that times out silent workers; 0 disables. Default 1000. */
  readonly tickMs?: number;
  /** Checks every submitted graph before any of its tasks exists; a refused job fails with that error. */
  readonly admission?: GraphAdmission;
  /**
   * Records every stimulus (see SchedulerJournal). With history from an earlier process, the state is replayed from
   * it and a scheduler-restarted stimulus follows: the running jobs resume.
   */
  readonly journal?: SchedulerJournal;
}

/** What the server found in its journal at start. */
export interface RestartInfo {
  /** Stimuli replayed, and how long replaying took (ms). */
  readonly replayed: number;
  readonly replayMs: number;
  /** Jobs kept from before ("clientId/jobId") and their clients, who are expected to reconnect. */
  readonly jobs: readonly string[];
  readonly clients: readonly string[];
  /** The shell's id counter to continue from. */
  readonly idSeq: number;
}

/** What the recorder sees of a stimulus the state machine never handled (a graph refused at admission). */
const UNHANDLED: TaskSlots = { sentSlots: () => [], intakeSlots: () => null, reportedSlot: () => null, taskSlot: () => undefined };

/** Omits a field from each member of a union (TypeScript's Omit would collapse the union). */
type WithoutStimulusId<T> = T extends unknown ? Omit<T, "stimulusId"> : never;

/**
 * Owns the only I/O of the scheduler: it never decides anything. Every call handles one stimulus to completion
 * and hands the resulting messages to the link in order (the link must keep per-destination order).
 */
export class SchedulerServer implements StatusSource {
  readonly state: SchedulerState;
  /** What the dashboard shows beyond the state machine's views: jobs, worker reports, the task stream. */
  readonly recorder: StatusRecorder;
  private readonly now: () => number;
  private seq = 0;
  private ticker: NodeJS.Timeout | null = null;
  private readonly admission: GraphAdmission | undefined;

  /** Set when this server resumed from a journal an earlier process wrote. */
  readonly restart: RestartInfo | null = null;
  private readonly journal: SchedulerJournal | undefined;

  constructor(private readonly link: SchedulerLink, options: SchedulerServerOptions = {}) {
    this.admission = options.admission;
    this.now = options.now ?? Date.now;
    this.recorder = new StatusRecorder(this.now(), options.status);
    this.journal = options.journal;
    if (this.journal === undefined) {
      this.state = new SchedulerState(options);
    } else {
      const had = this.journal.hasHistory;
      const t0 = performance.now();
      const restored = this.journal.begin(options, (s, out, state) => {
        this.recorder.observeIn(s, s.time);
        this.recorder.observeOut(s, out, s.time, state);
      });
      this.state = restored.state;
      if (had) {
        this.restart = {
          replayed: restored.replayed, replayMs: performance.now() - t0, jobs: this.state.jobIds(), clients: this.state.clientIds(), idSeq: restored.idSeq,
        };
        this.event({ op: "scheduler-restarted" });
      }
    }
    const tickMs = options.tickMs ?? 1000;
    if (tickMs > 0) {
      this.ticker = setInterval(() => this.event({ op: "tick" }), tickMs);
      this.ticker.unref();
    }
  }

  /** Stops the tick timer and closes the journal. */
  close(): void {
    if (this.ticker !== null) clearInterval(this.ticker);
    this.ticker = null;
    this.journal?.close();
  }

  /** Handles a message from a worker or client (which carries its own stimulus id). */
  receive(msg: ToScheduler): void {
    const time = this.now();
    this.recorder.observeIn(msg, time);
    const refused = msg.op === "graph-submitted" ? admissionError(this.admission, msg.graph) : null;
    const out: readonly SchedulerMessage[] = msg.op === "graph-submitted" && refused !== null
      ? [{ op: "job-erred", stimulusId: msg.stimulusId, clientId: msg.clientId, jobId: msg.jobId, key: null, error: refused }]
      : this.handle(msg, time);
    this.recorder.observeOut(msg, out, time, refused === null ? this.state : UNHANDLED);
    this.route(out);
  }

  /** Runs the state machine on one stimulus, journaling it (before its messages are routed) when there is a journal. */
  private handle(msg: ToScheduler, time: number): SchedulerMessage[] {
    const journal = this.journal;
    if (journal === undefined) return this.state.handleAt(msg, time);
    const stimulus: SchedulerStimulus = { ...msg, time };
    let out: SchedulerMessage[];
    try {
      out = this.state.handle(stimulus);
    } catch (e) {
      journal.record(stimulus, null);
      throw e;
    }
    journal.record(stimulus, out);
    journal.maybeCompact(this.state);
    return out;
  }

  /** The cluster's status now, for the dashboard: workers, jobs, task counts, the recent task stream. */
  status(streamLimit?: number): ClusterStatus {
    return this.recorder.status(this.state, this.now(), streamLimit);
  }

  /** A job's graph as plan stages, for the dashboard's graph view. */
  jobGraph(clientId: string, jobId: string): JobGraphStatus | null {
    return this.recorder.graphs.graph(clientId, jobId);
  }

  /** Handles an event the shell itself observed (a connection opened or closed), with a fresh stimulus id. */
  event(msg: WithoutStimulusId<ToScheduler>): void {
    this.receive({ ...msg, stimulusId: `${msg.op}-${++this.seq}` } as ToScheduler);
  }

  private route(messages: readonly SchedulerMessage[]): void {
    for (const m of messages) {
      switch (m.op) {
        case "compute-task":
        case "free-keys":
        case "steal-request":
        case "acquire-replicas":
        case "close-worker":
        case "rejoin":
          this.link.toWorker(m.workerId, m);
          break;
        case "job-progress": {
          // Per-stage counts from what the recorder saw (the state machine tracks jobs, not plan stages).
          const stages = this.recorder.graphs.progress(m.clientId, m.jobId);
          this.link.toClient(m.clientId, stages === undefined || stages.length < 2 ? m : { ...m, stages });
          break;
        }
        case "job-done":
        case "job-erred":
        case "job-unknown":
        case "worker-retired":
          this.link.toClient(m.clientId, m);
          break;
        default:
          assertNever(m, "scheduler message");
      }
    }
  }
}
