// A Client for a remote scheduler: submits graphs over WebSockets, reconnects when it loses the scheduler, fetches outputs from the workers.
import { ExecutionError, IoError, ProtocolError, errorFromInfo, errorToInfo } from "@tessera/common";
import type { TaskGraph } from "@tessera/graph";
import { Backoff, PROTOCOL_VERSION, PeerPool, SCHEDULER_TO_CLIENT, checkMessage, clientTlsFromEnv, dial, silentLogger } from "@tessera/protocol";
import type { ClientTls, ClientToScheduler, Connection, JobDone, Logger, Peers, SchedulerToClient, WorkerRetired } from "@tessera/protocol";
import type { Client, RunOptions } from "./client.js";
import { JobTracker } from "./job-tracker.js";

export interface ConnectOptions {
  /** The cluster's shared secret. Default: $TESSERA_TOKEN. */
  readonly token?: string | null;
  readonly log?: Logger;
  /** How long to wait for the scheduler's welcome. Default 10 s. */
  readonly timeoutMs?: number;
  /** PEM of the CA that signed the cluster's certificates (wss://). Default: the file named by $TESSERA_TLS_CA. */
  readonly ca?: string | Buffer;
  /**
   * After losing the scheduler (e.g. it restarted), how long (ms) to keep trying to reconnect, with backoff; running
   * jobs resume on the scheduler that answers (or are submitted again if it does not know them). 0: fail them at once
   * with SCHEDULER_LOST. Default 120,000.
   */
  readonly reconnectMs?: number;
}

/** How a RemoteClient dials its scheduler, again after a loss. */
interface Dialer {
  readonly url: string;
  readonly token: string | null;
  readonly log: Logger;
  readonly tls: ClientTls;
  readonly timeoutMs: number | undefined;
  readonly reconnectMs: number;
}

/**
 * Connects to the scheduler at `url` (ws:// or wss://; default $TESSERA_SCHEDULER). Rejects with ProtocolError
 * PROTOCOL_AUTH when the scheduler refuses the token, PROTOCOL_TOKEN_NEEDS_TLS when a token would go to another
 * machine over plain ws://, IoError PEER_UNREACHABLE when nothing answers or a wss:// certificate is not trusted.
 */
export async function connect(url?: string, options: ConnectOptions = {}): Promise<RemoteClient> {
  const target = url ?? process.env["TESSERA_SCHEDULER"];
  if (target === undefined || target === "") throw new IoError("NO_SCHEDULER", "connect() needs a scheduler URL (or TESSERA_SCHEDULER)");
  const token = options.token !== undefined ? options.token : (process.env["TESSERA_TOKEN"] ?? null);
  const env = clientTlsFromEnv();
  const dialer: Dialer = {
    url: target, token, log: options.log ?? silentLogger, tls: options.ca !== undefined ? { ...env, ca: options.ca } : env,
    timeoutMs: options.timeoutMs, reconnectMs: options.reconnectMs ?? 120_000,
  };
  const { conn, welcome } = await dialScheduler(dialer, undefined);
  return new RemoteClient(conn, welcome.id, new PeerPool({ token, log: dialer.log, label: welcome.id, unref: true, tls: dialer.tls }), dialer);
}

function dialScheduler(d: Dialer, resumeAs: string | undefined, timeoutMs = d.timeoutMs): ReturnType<typeof dial> {
  return dial(d.url, { op: "hello", protocol: PROTOCOL_VERSION, token: d.token, role: "client", ...(resumeAs !== undefined ? { name: resumeAs } : {}) }, {
    log: d.log, label: `scheduler ${d.url}`, tls: d.tls, ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  });
}

/**
 * Invariant: every run() promise settles: with its outputs, the job's error, or IoError SCHEDULER_LOST once the
 * scheduler stayed unreachable for reconnectMs.
 */
export class RemoteClient implements Client {
  private readonly jobs: JobTracker;
  private readonly addresses = new Map<string, string>();
  private conn: Connection | null = null;
  /** Releases asked while disconnected, sent on reconnecting (a lost submission is recovered by resubscribing instead). */
  private outbox: ClientToScheduler[] = [];
  private readonly retirements = new Map<string, { resolve: (r: WorkerRetired) => void; reject: (e: unknown) => void }[]>();
  /** Keeps the process alive while a job runs; the sockets themselves never do, so idle scripts can end. */
  private hold: NodeJS.Timeout | null = null;
  private running = 0;
  private closed = false;
  private reconnecting: Promise<void> | null = null;
  /** Times this client reconnected to a scheduler after losing one. */
  reconnects = 0;

  constructor(conn: Connection, clientId: string, private readonly pool: PeerPool, private readonly dialer?: Dialer) {
    this.jobs = new JobTracker({ clientId, send: (msg) => this.send(msg), fetchOutputs: (msg) => this.fetchOutputs(msg) });
    this.attach(conn);
  }

  /** The client's id at the scheduler. */
  get clientId(): string {
    return this.jobs.clientId;
  }

  run(graph: TaskGraph, options: RunOptions = {}): Promise<Map<string, unknown>> {
    this.active(+1);
    return this.jobs.submit(graph, options).finally(() => this.active(-1));
  }

  async release(keys: readonly string[]): Promise<void> {
    this.jobs.release(keys);
  }

  /**
   * Drains worker `workerId` (as `tessera worker --drain` does): resolves once its results moved to peers and it
   * closed, with how many results (and bytes) moved; rejects with the scheduler's error (e.g. no such worker).
   */
  retireWorker(workerId: string): Promise<{ keys: number; nbytes: number }> {
    this.active(+1);
    return new Promise<WorkerRetired>((resolve, reject) => {
      const waiting = this.retirements.get(workerId) ?? [];
      waiting.push({ resolve, reject });
      this.retirements.set(workerId, waiting);
      this.send({ op: "retire-worker", stimulusId: `${this.clientId}:retire-${workerId}`, clientId: this.clientId, workerId });
    }).then((r) => {
      if (r.error !== undefined) throw errorFromInfo(r.error);
      return { keys: r.keys, nbytes: r.nbytes };
    }).finally(() => this.active(-1));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.conn?.close("client closed");
    this.pool.close();
  }

  private active(delta: number): void {
    this.running += delta;
    if (this.running > 0 && this.hold === null) this.hold = setInterval(() => {}, 1 << 30);
    if (this.running === 0 && this.hold !== null) {
      clearInterval(this.hold);
      this.hold = null;
    }
  }

  private send(msg: ClientToScheduler): void {
    if (this.conn?.isOpen === true) this.conn.send(msg);
    else if (msg.op === "release-keys") this.outbox.push(msg);
  }

  private attach(conn: Connection): void {
    this.conn = conn;
    conn.use({
      control: (raw) => this.receive(checkMessage<SchedulerToClient | Peers>(raw, SCHEDULER_TO_CLIENT, "scheduler")),
      data: () => { throw new ProtocolError("PROTOCOL_UNEXPECTED", "the scheduler sends no data frames"); },
    });
    conn.keepProcessAlive(false);
    conn.onClose((reason) => this.lost(conn, reason));
  }

  private lost(conn: Connection, reason: string): void {
    if (this.conn !== conn || this.closed) return;
    this.conn = null;
    const limit = this.dialer?.reconnectMs ?? 0;
    if (this.dialer === undefined || limit <= 0) {
      this.failAll(new IoError("SCHEDULER_LOST", `lost the connection to the scheduler: ${reason}`));
      return;
    }
    this.dialer.log.warn(`lost the scheduler (${reason}); reconnecting for up to ${Math.round(limit / 1000)} s`);
    this.reconnecting ??= this.reconnect(this.dialer, reason).finally(() => { this.reconnecting = null; });
  }

  private async reconnect(d: Dialer, firstReason: string): Promise<void> {
    const backoff = new Backoff({ firstMs: 100, maxMs: 2000 });
    const deadline = Date.now() + d.reconnectMs;
    let last = firstReason;
    while (!this.closed && Date.now() < deadline) {
      await backoff.wait();
      if (this.closed) return;
      try {
        const { conn, welcome } = await dialScheduler(d, this.clientId, 5000);
        if (this.closed) {
          conn.close("client closed");
          return;
        }
        this.reconnects++;
        this.attach(conn);
        this.jobs.resubscribe(welcome.id);
        const outbox = this.outbox;
        this.outbox = [];
        for (const m of outbox) this.send({ ...m, clientId: welcome.id });
        for (const [workerId, waiting] of this.retirements) {
          if (waiting.length > 0) this.send({ op: "retire-worker", stimulusId: `${welcome.id}:retire-${workerId}`, clientId: welcome.id, workerId });
        }
        d.log.info(`reconnected to ${d.url} as ${welcome.id} after ${backoff.attempts} attempts; resubscribed ${this.jobs.running} jobs`);
        return;
      } catch (e) {
        const info = errorToInfo(e);
        last = `${info.code}: ${info.message}`;
        if (info.code === "PROTOCOL_AUTH" || info.code === "PROTOCOL_VERSION" || info.code === "PROTOCOL_TOKEN_NEEDS_TLS") break;
      }
    }
    if (!this.closed) this.failAll(new IoError("SCHEDULER_LOST", `lost the connection to the scheduler and could not reconnect: ${last}`));
  }

  private failAll(e: unknown): void {
    this.jobs.failAll(e);
    for (const waiting of this.retirements.values()) for (const w of waiting) w.reject(e);
    this.retirements.clear();
  }

  private receive(msg: SchedulerToClient | Peers): void {
    if (msg.op === "peers") {
      // A worker that left (or moved): drop its connection, so fetches waiting on it fail over to another holder.
      for (const [id, address] of this.addresses) if (msg.addresses[id] !== address) this.pool.forget(address);
      this.addresses.clear();
      for (const [id, address] of Object.entries(msg.addresses)) this.addresses.set(id, address);
      return;
    }
    if (msg.op === "worker-retired") {
      const waiting = this.retirements.get(msg.workerId);
      this.retirements.delete(msg.workerId);
      for (const w of waiting ?? []) w.resolve(msg);
      return;
    }
    this.jobs.receive(msg);
  }

  /**
   * Fetches every output from a holder, trying the next one when a holder fails. A holder is asked for at most
   * GATHER_BYTES at a time (it encodes a gather in one go: a whole large result at once would block it for seconds).
   */
  private async fetchOutputs(msg: JobDone): Promise<Map<string, unknown>> {
    const found = new Map<string, unknown>();
    const sizes = new Map(msg.outputs.map((o) => [o.key, o.nbytes] as const));
    let todo = msg.outputs.map((o) => ({ key: o.key, holders: o.workerIds.filter((w) => this.addresses.has(w)) }));
    while (todo.length > 0) {
      const byHolder = new Map<string, string[]>();
      const lost: string[] = [];
      for (const t of todo) {
        const h = t.holders[0];
        if (h === undefined) lost.push(t.key);
        else {
          const keys = byHolder.get(h);
          if (keys === undefined) byHolder.set(h, [t.key]);
          else keys.push(t.key);
        }
      }
      if (lost.length > 0) throw new ExecutionError("OUTPUT_LOST", `no reachable worker holds output ${lost[0]} (${lost.length} outputs lost)`, { keys: lost.slice(0, 10) });
      const failed = new Set<string>();
      await Promise.all([...byHolder].map(async ([holder, keys]) => {
        for (const batch of byBytes(keys, sizes)) {
          try {
            const got = await this.pool.gather(this.addresses.get(holder) as string, batch);
            for (const [k, v] of got.data) found.set(k, v);
            for (const k of got.missing) failed.add(k);
          } catch {
            for (const k of batch) failed.add(k);
          }
        }
      }));
      todo = todo.filter((t) => failed.has(t.key)).map((t) => ({ key: t.key, holders: t.holders.slice(1) }));
    }
    return found;
  }
}

/** Bytes asked of one holder in one gather (at least one key). */
const GATHER_BYTES = 64 * 1024 * 1024;

/** `keys` in order, cut into runs of at most GATHER_BYTES by their sizes. */
function byBytes(keys: readonly string[], sizes: ReadonlyMap<string, number>): string[][] {
  const out: string[][] = [];
  let run: string[] = [];
  let bytes = 0;
  for (const k of keys) {
    const n = sizes.get(k) ?? 0;
    if (run.length > 0 && bytes + n > GATHER_BYTES) {
      out.push(run);
      run = [];
      bytes = 0;
    }
    run.push(k);
    bytes += n;
  }
  if (run.length > 0) out.push(run);
  return out;
}
