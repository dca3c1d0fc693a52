// A worker over WebSockets: connects to the scheduler, serves peers' gathers, runs a WorkerShell on a thread pool.
import { hostname } from "node:os";
import { IoError, ProtocolError } from "@tessera/common";
import { PROTOCOL_VERSION, PeerPool, checkMessage, dial, silentLogger } from "@tessera/protocol";
import type { ClientTls, Connection, Logger, Peers, ServerTls } from "@tessera/protocol";
import type { StorageScope } from "@tessera/io";
import { SCHEDULER_TO_WORKER } from "@tessera/protocol";
import type { SchedulerToWorker } from "@tessera/protocol";
import { InlineRunner } from "../pool/inline-runner.js";
import { ThreadPool } from "../pool/thread-pool.js";
import { WorkerShell } from "../shell/worker-shell.js";
import type { GatherReply, WorkerLink } from "../shell/worker-shell.js";
import type { DataStore } from "../store.js";
import { PeerServer } from "./peer-server.js";

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
  /** Called once if the scheduler connection is lost (not on close()). */
  readonly onSchedulerLost?: (reason: string) => void;
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
 * Invariant: every message from the scheduler is checked against SCHEDULER_TO_WORKER and must name this
 * worker; anything else closes the scheduler connection (and so this worker leaves the cluster).
 */
export class WsWorker {
  readonly shell: WorkerShell;
  private readonly addresses = new Map<string, string>();
  private tasksReceived = 0;
  private closing = false;

  private constructor(
    readonly workerId: string,
    readonly address: string,
    private readonly conn: Connection,
    private readonly peerServer: PeerServer,
    private readonly pool: PeerPool,
    shell: (link: WorkerLink) => WorkerShell,
    private readonly log: Logger,
    onLost: (reason: string) => void,
    /** The storage prefixes this worker's operator allows (null: unscoped). */
    readonly storageScope: StorageScope | null,
  ) {
    this.shell = shell({
      toScheduler: (msg) => this.conn.send(msg),
      gather: (from, keys) => this.gather(from, keys),
    });
    conn.label = "scheduler";
    conn.use({
      control: (raw) => this.receive(checkMessage<SchedulerToWorker | Peers>(raw, SCHEDULER_TO_WORKER, "scheduler")),
      data: () => { throw new ProtocolError("PROTOCOL_UNEXPECTED", "the scheduler sends no data frames"); },
    });
    conn.onClose((reason) => {
      if (this.closing) return;
      this.log.error(`lost the scheduler: ${reason}`);
      onLost(reason);
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
    let welcome;
    try {
      welcome = await dial(options.scheduler, {
        op: "hello", protocol: PROTOCOL_VERSION, token, role: "worker", name,
        nthreads: Math.max(1, threads), memoryLimit: options.memoryLimit ?? Number.MAX_SAFE_INTEGER, address,
      }, { log, label: "scheduler", ...(options.clientTls !== undefined ? { tls: options.clientTls } : {}) });
    } catch (e) {
      await peerServer.close();
      throw e;
    }
    const pool = new PeerPool({ token, log, label: welcome.welcome.id, ...(options.clientTls !== undefined ? { tls: options.clientTls } : {}) });
    const worker = new WsWorker(welcome.welcome.id, address, welcome.conn, peerServer, pool, (link) => new WorkerShell({
      workerId: welcome.welcome.id,
      // Every task's declared storage is checked against the scope again here, before its op runs.
      runner: threads === 0 ? new InlineRunner({ opModules, storageScope }) : new ThreadPool({ threads, opModules, storageScope }),
      link,
      nthreads: Math.max(1, threads),
      ...(options.memoryLimit !== undefined ? { memoryLimit: options.memoryLimit } : {}),
      ...(options.store !== undefined ? { store: options.store } : {}),
      ...(options.spillDir !== undefined ? { spillDir: options.spillDir } : {}),
      heartbeatMs: options.heartbeatMs ?? 1000,
      onError: (e) => log.error(`worker state failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`),
    }), log, options.onSchedulerLost ?? (() => undefined), storageScope);
    shellRef = worker.shell;
    log.info(`worker ${worker.workerId} connected to ${options.scheduler} (${threads} threads); serving peers at ${address}`);
    return worker;
  }

  /** Waits (at most `timeoutMs`) until nothing is executing or ready, then leaves the cluster. */
  async drain(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const busy = (): boolean => this.shell.state.executingCount > 0 || this.shell.state.readyCount > 0;
    while (busy() && Date.now() < deadline && this.conn.isOpen) await new Promise((r) => setTimeout(r, 50));
    await this.close();
  }

  async close(): Promise<void> {
    this.closing = true;
    this.conn.close("worker shutting down");
    this.pool.close();
    await this.peerServer.close();
    await this.shell.close();
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
  }

  private async gather(from: string, keys: readonly string[]): Promise<GatherReply> {
    const address = this.addresses.get(from);
    if (address === undefined) throw new IoError("PEER_UNREACHABLE", `worker ${from} is not connected`, { worker: from });
    return this.pool.gather(address, keys);
  }
}
