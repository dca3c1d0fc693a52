// The scheduler shell: stamps time and stimulus ids on incoming messages, runs the state machine, routes its output.
import { assertNever } from "@tessera/common";
import { StatusRecorder } from "./dashboard/status-recorder.js";
import type { StatusRecorderOptions } from "./dashboard/status-recorder.js";
import type { ClusterStatus, StatusSource } from "./dashboard/status-types.js";
import type { SchedulerOptions } from "./state/core.js";
import { SchedulerState } from "./state/scheduler-state.js";
import type { SchedulerMessage, SchedulerToClient, SchedulerToWorker, ToScheduler } from "@tessera/protocol";
import { admissionError } from "./intake/graph-admission.js";
import type { GraphAdmission } from "./intake/graph-admission.js";

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
}

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

  constructor(private readonly link: SchedulerLink, options: SchedulerServerOptions = {}) {
    this.state = new SchedulerState(options);
    this.admission = options.admission;
    this.now = options.now ?? Date.now;
    this.recorder = new StatusRecorder(this.now(), options.status);
    const tickMs = options.tickMs ?? 1000;
    if (tickMs > 0) {
      this.ticker = setInterval(() => this.event({ op: "tick" }), tickMs);
      this.ticker.unref();
    }
  }

  /** Stops the tick timer. */
  close(): void {
    if (this.ticker !== null) clearInterval(this.ticker);
    this.ticker = null;
  }

  /** Handles a message from a worker or client (which carries its own stimulus id). */
  receive(msg: ToScheduler): void {
    const time = this.now();
    this.recorder.observeIn(msg, time);
    const refused = msg.op === "graph-submitted" ? admissionError(this.admission, msg.graph) : null;
    const out: readonly SchedulerMessage[] = msg.op === "graph-submitted" && refused !== null
      ? [{ op: "job-erred", stimulusId: msg.stimulusId, clientId: msg.clientId, jobId: msg.jobId, key: null, error: refused }]
      : this.state.handle({ ...msg, time });
    this.recorder.observeOut(out, time);
    this.route(out);
  }

  /** The cluster's status now, for the dashboard: workers, jobs, task counts, the recent task stream. */
  status(streamLimit?: number): ClusterStatus {
    return this.recorder.status(this.state, this.now(), streamLimit);
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
          this.link.toWorker(m.workerId, m);
          break;
        case "job-progress":
        case "job-done":
        case "job-erred":
          this.link.toClient(m.clientId, m);
          break;
        default:
          assertNever(m, "scheduler message");
      }
    }
  }
}
