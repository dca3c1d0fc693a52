// The in-process transport: scheduler, workers and the client exchange messages through one FIFO, delivered asynchronously.
import { IoError } from "@tessera/common";
import type { SchedulerToClient, SchedulerToWorker, ToScheduler } from "@tessera/protocol";
import type { SchedulerLink, SchedulerServer } from "@tessera/scheduler";
import type { GatherReply, WorkerLink, WorkerShell } from "@tessera/worker";

/** How long deliveries may chain through microtasks before the hub yields a turn of the event loop. */
const YIELD_EVERY_MS = 4;
const RESOLVED = Promise.resolve();

/**
 * Every send is queued and delivered later (never inside the sender's call), in send order, so per-destination
 * order holds and no handler runs inside another, as with sockets. Deliveries chain through microtasks (cheap)
 * but yield to the event loop (setImmediate) at least every YIELD_EVERY_MS, so timers, I/O and pool-thread
 * results interleave with long cascades.
 */
export class InProcessHub implements SchedulerLink {
  scheduler: SchedulerServer | null = null;
  readonly workers = new Map<string, WorkerShell>();
  readonly clients = new Map<string, (msg: SchedulerToClient) => void>();
  private queue: (() => void)[] = [];
  private scheduled = false;
  private closed = false;

  constructor(private readonly onError: (e: unknown) => void) {}

  private turnStarted = performance.now();

  post(deliver: () => void): void {
    if (this.closed) return;
    this.queue.push(deliver);
    if (!this.scheduled) {
      this.scheduled = true;
      // A resolved promise, not queueMicrotask: Node wraps each queueMicrotask callback in an AsyncResource.
      if (performance.now() - this.turnStarted < YIELD_EVERY_MS) void RESOLVED.then(this.flush);
      else setImmediate(this.newTurn);
    }
  }

  private readonly newTurn = (): void => {
    this.turnStarted = performance.now();
    this.flush();
  };

  private readonly flush = (): void => {
    const batch = this.queue;
    this.queue = [];
    this.scheduled = false;
    for (const deliver of batch) {
      if (this.closed) return;
      try {
        deliver();
      } catch (e) {
        this.onError(e);
      }
    }
  };

  /** Nothing queued for delivery. */
  get idle(): boolean {
    return this.queue.length === 0 && !this.scheduled;
  }

  close(): void {
    this.closed = true;
    this.queue = [];
  }

  toWorker(workerId: string, msg: SchedulerToWorker): void {
    this.post(() => {
      const shell = this.workers.get(workerId);
      if (shell === undefined) return;
      shell.receive(msg);
      if (msg.op === "rejoin") {
        // It dropped what it held: it joins again as new, as a WebSocket worker would.
        this.scheduler?.event({ op: "worker-added", workerId, nthreads: shell.nthreads, memoryLimit: shell.memoryLimit });
      } else if (msg.op === "close-worker") {
        this.workers.delete(workerId);
        void shell.close();
      }
    });
  }

  toClient(clientId: string, msg: SchedulerToClient): void {
    this.post(() => this.clients.get(clientId)?.(msg));
  }

  toScheduler(msg: ToScheduler): void {
    this.post(() => this.scheduler?.receive(msg));
  }

  /** The link a worker uses: messages to the scheduler, gathers served directly from the peer's store. */
  workerLink(): WorkerLink {
    return {
      toScheduler: (msg) => this.toScheduler(msg),
      gather: (from, keys) =>
        new Promise<GatherReply>((resolve, reject) => {
          this.post(() => {
            const peer = this.workers.get(from);
            if (peer === undefined) reject(new IoError("PEER_UNREACHABLE", `worker ${from} is not connected`, { worker: from }));
            else peer.serveGather(keys).then(resolve, reject);
          });
        }),
    };
  }
}
