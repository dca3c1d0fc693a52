// A worker over WebSockets: connects (and reconnects) to the scheduler, serves peers' gathers, runs a WorkerShell on a thread pool.
import { hostname } from "node:os";
import { IoError, ProtocolError, errorToInfo } from "@tessera/common";
import { Backoff, PROTOCOL_VERSION, PeerPool, checkMessage, dial, silentLogger } from "@tessera/protocol";
import type { ClientTls, Connection, Hello, Logger, Peers, ServerTls } from "@tessera/protocol";
import type { StorageScope } from "@tessera/io";
import { SCHEDULER_TO_WORKER } from "@tessera/protocol";
import type { SchedulerToWorker } from "@tessera/protocol";
import { InlineRunner } from "../pool/inline-runner.js";
import { ThreadPool } from "../pool/thread-pool.js";
import { WorkerShell } from "../shell/worker-shell.js";
import type { GatherReply, WorkerLink } from "../shell/worker-shell.js";
import type { DataStore } from "../store.js";
import { PeerServer } from "./peer-server.js";
import { exposeGc } from "../memory/garbage.js";


export interface WsWorkerOptions {
  /** ws://host:port of the scheduler. */
  readonly scheduler: string;
  /** The worker's id at the scheduler (unique among live workers). Default: host-pid. */
  readonly name?: string;
  /** Pool threads; 0 runs ops on the main thread. Default 1. */
  readonly threads?: number;
  readonly memoryLimit?: number;
  readonly token?: string | null;
  /** Interface the peer listener binds (default 127.0.0.1) and the host peers are told to dial. */
  readonly host?: string;
  readonly advertiseHost?: string;
  readonly peerPort?: number;
  readonly store?: DataStore;
  /** Where results spill past the memory target (the shell's default when absent). */
  readonly spillDir?: string;
  readonly heartbeatMs?: number;
  /** Op modules to offer besides the production ops (tests, benchmarks; see OpRegistry.load). Default: none. */
  readonly opModules?: readonly string[];
  readonly log?: Logger;
  /**
   * After losing the scheduler, how long (ms) to keep trying to reconnect, with backoff, holding on to results
   * (reported to the scheduler that answers). 0 gives up at once. Default 300,000.
   */
  readonly reconnectMs?: number;
  /** Called once when the worker stops for good on its own: the scheduler was lost for longer than reconnectMs. */
  readonly onSchedulerLost?: (reason: string) => void;
  /** Called once when the scheduler closed this worker after draining it (close-worker). */
  readonly onClosedByScheduler?: (reason: string) => void;
  /** Serve peers over wss:// with this certificate and key. */
  readonly tls?: ServerTls | null;
  /** What the scheduler's and peers' wss:// certificates are verified against (default: TESSERA_TLS_CA). */
  readonly clientTls?: ClientTls;
  /** Allow the peer listener off loopback without a token (logged loudly). */
  readonly insecure?: boolean;
  /** The storage prefixes this worker's operator allows (null: unscoped). */
  readonly storageScope?: StorageScope | null;
}

/**
 * Invariant: every message from the scheduler is checked against SCHEDULER_TO_WORKER and must name this worker;
 * anything else closes the scheduler connection. A lost connection is retried (results kept) until reconnectMs.
 */
export class WsWorker {
  readonly shell: WorkerShell;
  /** The scheduler connection; null while reconnecting. */
  private conn: Connection | null = null;
  private readonly addresses = new Map<string, string>();
  private tasksReceived = 0;
  private closing = false;
  private reconnecting: Promise<void> | null = null;
  /** Times this worker joined the scheduler (1 at start; more after reconnections). */
  joins = 0;
  private drained: (() => void) | null = null;

  private constructor(
    readonly workerId: string,
    readonly address: string,
    private readonly hello: Omit<Hello, "held">,
    private readonly peerServer: PeerServer,
    private readonly pool: PeerPool,
    shell: (link: WorkerLink) => WorkerShell,
    private readonly log: Logger,
    private readonly options: WsWorkerOptions,
    /** The storage prefixes this worker's operator allows (null: unscoped). */
    readonly storageScope: StorageScope | null,
  ) {
    this.shell = shell({
      toScheduler: (msg) => this.conn?.send(msg),
      gather: (from, keys) => this.gather(from, keys),
    });
  }

  static async start(options: WsWorkerOptions): Promise<WsWorker> {
    const log = options.log ?? silentLogger;
    const token = options.token ?? null;
    let shellRef: WorkerShell | null = null;
    const peerServer = await PeerServer.start({
      host: options.host ?? "127.0.0.1",
      ...(options.peerPort !== undefined ? { port: options.peerPort } : {}),
      token,
      log,
      ...(options.tls != null ? { tls: options.tls } : {}),
      ...(options.insecure === true ? { insecure: true } : {}),
      serve: (keys) => {
        if (shellRef === null) return Promise.resolve({ data: new Map(), missing: [...keys] });
        return shellRef.serveGather(keys);
      },
    });
    const address = peerServer.address(options.advertiseHost);
    const threads = options.threads ?? 1;
    const opModules = options.opModules ?? [];
    const storageScope = options.storageScope ?? null;
    const name = options.name ?? `${hostname()}-${process.pid}`;
    const hello: Omit<Hello, "held"> = {
      op: "hello", protocol: PROTOCOL_VERSION, token, role: "worker", name,
      nthreads: Math.max(1, threads), memoryLimit: options.memoryLimit ?? Number.MAX_SAFE_INTEGER, address,
    };
    let first;
    try {
      first = await dial(options.scheduler, hello, { log, label: "scheduler", ...(options.clientTls !== undefined ? { tls: options.clientTls } : {}) });
    } catch (e) {
      await peerServer.close();
      throw e;
    }
    const workerId = first.welcome.id;
    const pool = new PeerPool({ token, log, label: workerId, ...(options.clientTls !== undefined ? { tls: options.clientTls } : {}) });
    // This process is the worker: its memory limit bounds the process, with GCs asked for when garbage piles up
    // (pool threads collect after large tasks on their own: pool/release.ts).
    if (options.memoryLimit !== undefined && Number.isFinite(options.memoryLimit)) exposeGc();
    const worker = new WsWorker(workerId, address, { ...hello, name: workerId }, peerServer, pool, (link) => new WorkerShell({
      workerId,
      // Every task's declared storage is checked against the scope again here, before its op runs.
      runner: threads === 0 ? new InlineRunner({ opModules, storageScope }) : new ThreadPool({ threads, opModules, storageScope }),
      ownsProcess: true,
      link,
      nthreads: Math.max(1, threads),
      ...(options.memoryLimit !== undefined ? { memoryLimit: options.memoryLimit } : {}),
      ...(options.store !== undefined ? { store: options.store } : {}),
      ...(options.spillDir !== undefined ? { spillDir: options.spillDir } : {}),
      heartbeatMs: options.heartbeatMs ?? 1000,
      onError: (e) => log.error(`worker state failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`),
    }), log, options, storageScope);
    shellRef = worker.shell;
    worker.attach(first.conn);
    log.info(`worker ${workerId} connected to ${options.scheduler} (${threads} threads); serving peers at ${address}`);
    return worker;
  }

  /** Whether the scheduler connection is up now. */
  get connected(): boolean {
    return this.conn?.isOpen === true;
  }

  /**
   * Leaves the cluster without losing results (SIGTERM): asks the scheduler to drain this worker (no new tasks; running
   * ones finish or move; held results are copied to peers) and closes when it says close-worker, or after `timeoutMs`.
   */
  async drain(timeoutMs = 60_000): Promise<void> {
    if (this.connected && !this.closing) {
      const done = new Promise<void>((resolve) => { this.drained = resolve; });
      this.conn?.send({ op: "worker-retiring", stimulusId: `${this.workerId}:retiring`, workerId: this.workerId });
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => { timer = setTimeout(resolve, timeoutMs); });
      await Promise.race([done, timeout]);
      clearTimeout(timer);
    }
    await this.close();
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.conn?.close("worker shutting down");
    this.pool.close();
    await this.peerServer.close();
    await this.shell.close();
  }

  private attach(conn: Connection): void {
    this.conn = conn;
    this.joins++;
    conn.label = "scheduler";
    conn.use({
      control: (raw) => this.receive(checkMessage<SchedulerToWorker | Peers>(raw, SCHEDULER_TO_WORKER, "scheduler")),
      data: () => { throw new ProtocolError("PROTOCOL_UNEXPECTED", "the scheduler sends no data frames"); },
    });
    conn.onClose((reason) => this.lost(conn, reason));
  }

  /** The connection closed: assignments end, results are kept, and the worker dials again with backoff. */
  private lost(conn: Connection, reason: string): void {
    if (this.conn !== conn || this.closing) return;
    this.conn = null;
    this.shell.schedulerLost(true);
    const limit = this.options.reconnectMs ?? 300_000;
    if (limit <= 0) {
      this.log.error(`lost the scheduler: ${reason}`);
      this.options.onSchedulerLost?.(reason);
      return;
    }
    this.log.warn(`lost the scheduler (${reason}); reconnecting for up to ${Math.round(limit / 1000)} s, keeping ${this.shell.heldResults().length} results`);
    this.reconnecting ??= this.reconnect(limit).finally(() => { this.reconnecting = null; });
  }

  private async reconnect(limitMs: number): Promise<void> {
    const backoff = new Backoff({ firstMs: 100, maxMs: 2000 });
    const deadline = Date.now() + limitMs;
    let lastError = "";
    while (!this.closing && Date.now() < deadline) {
      await backoff.wait();
      if (this.closing) return;
      try {
        const held = this.shell.heldResults();
        const { conn, welcome } = await dial(this.options.scheduler, { ...this.hello, held }, {
          log: this.log, label: "scheduler", timeoutMs: 5000, ...(this.options.clientTls !== undefined ? { tls: this.options.clientTls } : {}),
        });
        if (this.closing) {
          conn.close("worker shutting down");
          return;
        }
        if (welcome.id !== this.workerId) {
          conn.close("the scheduler gave another id");
          throw new ProtocolError("PROTOCOL_UNEXPECTED", `the scheduler named this worker ${welcome.id}, not ${this.workerId}`);
        }
        this.attach(conn);
        this.log.info(`worker ${this.workerId} rejoined ${this.options.scheduler} after ${backoff.attempts} attempts, reporting ${held.length} results`);
        return;
      } catch (e) {
        const info = errorToInfo(e);
        lastError = `${info.code}: ${info.message}`;
        // A refused token will not become right by waiting.
        if (info.code === "PROTOCOL_AUTH" || info.code === "PROTOCOL_VERSION") break;
      }
    }
    if (this.closing) return;
    this.log.error(`could not rejoin the scheduler: ${lastError}`);
    this.options.onSchedulerLost?.(lastError);
  }

  private receive(msg: SchedulerToWorker | Peers): void {
    if (msg.op === "peers") {
      for (const [id, address] of this.addresses) {
        if (msg.addresses[id] !== address) this.pool.forget(address);
      }
      this.addresses.clear();
      for (const [id, address] of Object.entries(msg.addresses)) this.addresses.set(id, address);
      return;
    }
    if (msg.workerId !== this.workerId) throw new ProtocolError("PROTOCOL_UNEXPECTED", `a message for ${msg.workerId} reached ${this.workerId}`);
    if (msg.op === "compute-task" && this.tasksReceived++ === 0) this.log.info(`worker ${this.workerId} received its first task`);
    this.shell.receive(msg);
    if (msg.op === "rejoin") {
      // The scheduler dropped this worker and recomputes what it held (the shell just freed it): join again as new.
      this.log.warn(`the scheduler removed this worker (${msg.reason}); rejoining as new`);
      this.conn?.close("rejoining");
    } else if (msg.op === "close-worker") {
      this.log.info(`the scheduler closed this worker: ${msg.reason}`);
      this.drained?.();
      this.options.onClosedByScheduler?.(msg.reason);
    }
  }

  private async gather(from: string, keys: readonly string[]): Promise<GatherReply> {
    const address = this.addresses.get(from);
    if (address === undefined) throw new IoError("PEER_UNREACHABLE", `worker ${from} is not connected`, { worker: from });
    return this.pool.gather(address, keys);
  }
}
