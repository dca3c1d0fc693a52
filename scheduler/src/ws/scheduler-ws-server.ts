// The scheduler over WebSockets: accepts workers and clients, checks every message, runs SchedulerServer, routes its output.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ProtocolError, errorToInfo } from "@tessera/common";
import { Connection, acceptHandshake, checkListener, checkMessage, createListener, silentLogger } from "@tessera/protocol";
import type { Hello, Logger, Peers, ServerTls } from "@tessera/protocol";
import { WebSocketServer } from "ws";
import { SchedulerServer } from "../server.js";
import type { SchedulerLink, SchedulerServerOptions } from "../server.js";
import type { ClientToScheduler, SchedulerToClient, SchedulerToWorker, ToScheduler, WorkerToScheduler } from "@tessera/protocol";
import { CLIENT_TO_SCHEDULER, WORKER_TO_SCHEDULER } from "@tessera/protocol";

export interface SchedulerWsOptions extends SchedulerServerOptions {
  readonly host?: string;
  /** 0 picks a free port (read it back from `.port`). */
  readonly port?: number;
  /** Shared secret; connections that do not present it are refused. Null or "" accepts anyone. */
  readonly token?: string | null;
  readonly log?: Logger;
  /** Largest frame accepted (a submitted graph is one frame). Default 512 MiB. */
  readonly maxMessageBytes?: number;
  /** Liveness: a ping every this many ms; a peer silent for MAX_MISSED of them is dropped. Default 1000. */
  readonly pingMs?: number;
  /** Serve wss:// with this certificate and key. */
  readonly tls?: ServerTls | null;
  /** Allow listening off loopback without a token (logged loudly); refused otherwise. */
  readonly insecure?: boolean;
  /**
   * After a restart from a journal: how long (ms) the jobs of a client of the previous process wait for it to
   * reconnect before they are cancelled (as if it had disconnected). Default 120,000.
   */
  readonly clientGraceMs?: number;
}

/** Pings a peer may leave unanswered (while sending nothing else) before it is considered dead. */
const MAX_MISSED = 5;

interface WorkerEntry { readonly conn: Connection; readonly address: string; finished: number; missed: number }
interface ClientEntry { readonly conn: Connection; missed: number }
interface JobEntry { readonly started: number; readonly tasks: number; readonly finishedAtStart: ReadonlyMap<string, number> }

/**
 * Owns the sockets; decides nothing (SchedulerServer's state machine does). A connection that sends anything
 * malformed, oversized, unexpected or about another worker/client is closed alone, with a logged reason.
 */
export class SchedulerWsServer implements SchedulerLink {
  readonly server: SchedulerServer;
  readonly workers = new Map<string, WorkerEntry>();
  readonly clients = new Map<string, ClientEntry>();
  private readonly jobs = new Map<string, JobEntry>();
  private readonly log: Logger;
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly ping: NodeJS.Timeout;
  private seq = 0;
  private draining = false;
  private grace: NodeJS.Timeout | null = null;

  private constructor(private readonly options: SchedulerWsOptions) {
    this.log = options.log ?? silentLogger;
    this.http = createListener(options.tls, (_req, res) => res.writeHead(426).end("tessera scheduler: WebSocket only\n"));
    this.server = new SchedulerServer(this, { progressIntervalMs: 200, ...options });
    this.wss = new WebSocketServer({ server: this.http, maxPayload: options.maxMessageBytes ?? 512 * 1024 * 1024, perMessageDeflate: false });
    this.wss.on("connection", (ws, req) => this.accept(new Connection(ws, `connection from ${req.socket.remoteAddress}:${req.socket.remotePort}`, this.log)));
    this.ping = setInterval(() => this.checkLiveness(), options.pingMs ?? 1000);
    this.ping.unref();
    const restart = this.server.restart;
    if (restart !== null) this.resumed(restart.idSeq, restart.jobs, restart.clients);
  }

  /**
   * Restarted from a journal: ids continue past the old ones, the resumed jobs are logged when they end, and clients
   * of the old process that do not reconnect within clientGraceMs lose their jobs.
   */
  private resumed(idSeq: number, jobs: readonly string[], clients: readonly string[]): void {
    this.seq = Math.max(this.seq, idSeq);
    for (const id of jobs) this.jobs.set(id, { started: performance.now(), tasks: 0, finishedAtStart: new Map() });
    const restart = this.server.restart;
    this.log.info(
      `resumed from the journal: ${jobs.length} jobs of ${clients.length} clients (${restart?.replayed ?? 0} stimuli replayed in ` +
      `${(restart?.replayMs ?? 0).toFixed(0)} ms); waiting for workers and clients to reconnect`,
    );
    if (clients.length === 0) return;
    this.grace = setTimeout(() => {
      for (const clientId of clients) {
        if (this.clients.has(clientId) || !this.server.state.clientIds().includes(clientId)) continue;
        this.log.info(`client ${clientId} did not reconnect within ${this.options.clientGraceMs ?? 120_000} ms: cancelling its jobs`);
        for (const k of [...this.jobs.keys()]) if (k.startsWith(`${clientId}/`)) this.jobs.delete(k);
        this.event({ op: "client-disconnected", clientId });
      }
    }, this.options.clientGraceMs ?? 120_000);
    this.grace.unref();
  }

  /** Listens on `host` (default 127.0.0.1); off loopback only with a token or `insecure` (see checkListener). */
  static async start(options: SchedulerWsOptions = {}): Promise<SchedulerWsServer> {
    const host = options.host ?? "127.0.0.1";
    checkListener({ what: "the scheduler", host, token: options.token, tls: options.tls != null, insecure: options.insecure === true, ...(options.log !== undefined ? { log: options.log } : {}) });
    const s = new SchedulerWsServer({ ...options, host });
    try {
      await new Promise<void>((resolve, reject) => {
        s.http.once("error", reject);
        s.http.listen(options.port ?? 8786, host, () => resolve());
      });
    } catch (e) {
      await s.close();
      throw e;
    }
    return s;
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  /** The URL clients and workers on this machine use. */
  get url(): string {
    const host = this.options.host ?? "127.0.0.1";
    return `${this.options.tls != null ? "wss" : "ws"}://${host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host}:${this.port}`;
  }

  /** Jobs submitted and not yet done or failed. */
  get runningJobs(): number {
    return this.jobs.size;
  }

  // ---- SchedulerLink -----------------------------------------------------------------------------

  toWorker(workerId: string, msg: SchedulerToWorker): void {
    const w = this.workers.get(workerId);
    w?.conn.send(msg);
    if (msg.op === "rejoin") {
      // The state machine already dropped it; this connection goes too (the worker dials again as new).
      this.log.warn(`worker ${workerId} timed out (${msg.reason}): told to rejoin`);
      w?.conn.close("rejoin");
    } else if (msg.op === "close-worker") {
      this.log.info(`worker ${workerId} ${msg.reason}`);
    }
  }

  toClient(clientId: string, msg: SchedulerToClient): void {
    if (msg.op === "job-done" || msg.op === "job-erred") this.jobEnded(msg);
    this.clients.get(clientId)?.conn.send(msg);
  }

  // ---- lifecycle ---------------------------------------------------------------------------------

  /** Stops accepting connections, waits (at most `timeoutMs`) for running jobs to finish, then closes. */
  async drain(timeoutMs = 30_000): Promise<void> {
    this.draining = true;
    this.http.close();
    const deadline = Date.now() + timeoutMs;
    while (this.jobs.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await this.close();
  }

  async close(): Promise<void> {
    this.draining = true;
    clearInterval(this.ping);
    if (this.grace !== null) clearTimeout(this.grace);
    this.server.close();
    for (const w of this.workers.values()) w.conn.close("scheduler shutting down");
    for (const c of this.clients.values()) c.conn.close("scheduler shutting down");
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  // ---- connections -------------------------------------------------------------------------------

  private accept(conn: Connection): void {
    if (this.draining) {
      conn.close("scheduler draining");
      return;
    }
    conn.ws.on("pong", () => this.markAlive(conn));
    acceptHandshake(conn, {
      token: this.options.token ?? null,
      roles: ["worker", "client"],
      onHello: (hello) => (hello.role === "worker" ? this.workerId(hello) : this.clientId(hello)),
      onWelcomed: (hello, id) => (hello.role === "worker" ? this.addWorker(conn, hello, id) : this.addClient(conn, id)),
    });
  }

  private workerId(hello: Hello): string {
    if (hello.address === undefined || hello.nthreads === undefined) {
      throw new ProtocolError("PROTOCOL_BAD_MESSAGE", "a worker's hello must give its address and threads");
    }
    const id = hello.name ?? `worker-${++this.seq}`;
    if (this.workers.has(id)) throw new ProtocolError("PROTOCOL_DUPLICATE_WORKER", `a worker named ${id} is already connected`);
    return id;
  }

  /** A client's id: the one it had, when it reconnects and the scheduler still keeps that client's jobs; else a new one. */
  private clientId(hello: Hello): string {
    const old = hello.name;
    if (old !== undefined && !this.clients.has(old) && this.server.state.clientIds().includes(old)) return old;
    return `client-${++this.seq}`;
  }

  private addWorker(conn: Connection, hello: Hello, workerId: string): void {
    const entry: WorkerEntry = { conn, address: hello.address as string, finished: 0, missed: 0 };
    conn.label = `worker ${workerId}`;
    this.workers.set(workerId, entry);
    conn.handler = {
      control: (raw) => {
        const msg = checkMessage<WorkerToScheduler>(raw, WORKER_TO_SCHEDULER, conn.label);
        if (msg.workerId !== workerId) throw new ProtocolError("PROTOCOL_UNEXPECTED", `worker ${workerId} sent a message as ${msg.workerId}`);
        entry.missed = 0;
        if (msg.op === "task-finished") entry.finished++;
        this.receive(msg, conn);
      },
      data: () => { throw new ProtocolError("PROTOCOL_UNEXPECTED", "workers send no data frames to the scheduler"); },
    };
    conn.onClose((reason) => {
      if (this.workers.get(workerId) !== entry) return;
      this.workers.delete(workerId);
      this.log.info(`worker ${workerId} lost: ${reason}`);
      this.event({ op: "worker-removed", workerId, reason });
      this.broadcastPeers();
    });
    const memoryLimit = hello.memoryLimit ?? Number.POSITIVE_INFINITY;
    this.log.info(`worker ${workerId} joined (${hello.nthreads} threads, memory limit ${memoryLimit}, serving peers at ${entry.address}); ${this.workers.size} workers`);
    this.broadcastPeers();
    const held = hello.held ?? [];
    if (held.length > 0) this.log.info(`worker ${workerId} reports ${held.length} results it holds`);
    this.event({ op: "worker-added", workerId, nthreads: hello.nthreads as number, memoryLimit, ...(held.length > 0 ? { held } : {}) });
  }

  private addClient(conn: Connection, clientId: string): void {
    const entry: ClientEntry = { conn, missed: 0 };
    conn.label = `client ${clientId}`;
    this.clients.set(clientId, entry);
    conn.handler = {
      control: (raw) => {
        const msg = checkMessage<ClientToScheduler>(raw, CLIENT_TO_SCHEDULER, conn.label);
        if (msg.clientId !== clientId) throw new ProtocolError("PROTOCOL_UNEXPECTED", `client ${clientId} sent a message as ${msg.clientId}`);
        entry.missed = 0;
        if (msg.op === "graph-submitted") {
          const finishedAtStart = new Map([...this.workers].map(([id, w]) => [id, w.finished] as const));
          this.jobs.set(`${clientId}/${msg.jobId}`, { started: performance.now(), tasks: msg.graph.tasks.length, finishedAtStart });
        }
        this.receive(msg, conn);
      },
      data: () => { throw new ProtocolError("PROTOCOL_UNEXPECTED", "clients send no data frames to the scheduler"); },
    };
    conn.onClose((reason) => {
      if (this.clients.get(clientId) !== entry) return;
      this.clients.delete(clientId);
      for (const k of [...this.jobs.keys()]) if (k.startsWith(`${clientId}/`)) this.jobs.delete(k);
      this.log.info(`client ${clientId} disconnected: ${reason}`);
      this.event({ op: "client-disconnected", clientId });
    });
    this.log.info(`client ${clientId} connected`);
    conn.send(this.peers());
    this.event({ op: "client-connected", clientId });
  }

  // ---- state machine ------------------------------------------------------------------------------

  private receive(msg: ToScheduler, from: Connection): void {
    try {
      this.server.receive(msg);
    } catch (e) {
      // A message the checks let through but the state machine refused: that peer's connection goes.
      this.log.error(`the scheduler state refused a message from ${from.label}: ${errorToInfo(e).message}`);
      from.fail(new ProtocolError("PROTOCOL_REJECTED", `the scheduler could not handle ${msg.op}`));
    }
  }

  private event(msg: Parameters<SchedulerServer["event"]>[0]): void {
    try {
      this.server.event(msg);
    } catch (e) {
      this.log.error(`the scheduler state failed on ${msg.op}: ${errorToInfo(e).message}`);
    }
  }

  private jobEnded(msg: Extract<SchedulerToClient, { op: "job-done" | "job-erred" }>): void {
    const id = `${msg.clientId}/${msg.jobId}`;
    const job = this.jobs.get(id);
    this.jobs.delete(id);
    const secs = job === undefined ? "?" : ((performance.now() - job.started) / 1000).toFixed(2);
    if (msg.op === "job-erred") {
      this.log.info(`job ${id} failed after ${secs}s: ${msg.error.code}: ${msg.error.message}`);
      return;
    }
    const byWorker = [...this.workers].map(([w, e]) => `${w}=${e.finished - (job?.finishedAtStart.get(w) ?? 0)}`).join(" ");
    this.log.info(`job ${id} done: ${msg.total} tasks in ${secs}s; tasks finished by worker: ${byWorker}`);
  }

  // ---- peers and liveness --------------------------------------------------------------------------

  private peers(): Peers {
    const addresses: Record<string, string> = {};
    for (const [id, w] of this.workers) addresses[id] = w.address;
    return { op: "peers", addresses };
  }

  private broadcastPeers(): void {
    const msg = this.peers();
    for (const w of this.workers.values()) w.conn.send(msg);
    for (const c of this.clients.values()) c.conn.send(msg);
  }

  private markAlive(conn: Connection): void {
    for (const w of this.workers.values()) if (w.conn === conn) w.missed = 0;
    for (const c of this.clients.values()) if (c.conn === conn) c.missed = 0;
  }

  /**
   * Drops workers silent (no pong, no message) for MAX_MISSED pings, telling them to rejoin: a hung process or a dead link (a killed
   * process closes its socket at once). Clients are only pinged: a client busy with its results may answer late,
   * and a lost client costs nothing but its jobs.
   */
  private checkLiveness(): void {
    for (const [id, w] of this.workers) {
      if (++w.missed > MAX_MISSED) {
        // Told, should it wake up (a long pause): it reads this before the close, drops its results and rejoins as new.
        const reason = `silent for ${MAX_MISSED} pings`;
        this.log.warn(`worker ${id} ${reason}: dropping it and telling it to rejoin`);
        w.conn.send({ op: "rejoin", stimulusId: `liveness-${Date.now()}`, workerId: id, reason } satisfies SchedulerToWorker);
        w.conn.close(reason);
        continue;
      }
      if (w.conn.isOpen) w.conn.ws.ping();
    }
    for (const c of this.clients.values()) if (c.conn.isOpen) c.conn.ws.ping();
  }
}
