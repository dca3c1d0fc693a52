// A Client for a remote scheduler: submits graphs over WebSockets, reports progress, fetches outputs from the workers.
import { ExecutionError, IoError, ProtocolError } from "@tessera/common";
import type { TaskGraph } from "@tessera/graph";
import { PROTOCOL_VERSION, PeerPool, SCHEDULER_TO_CLIENT, checkMessage, clientTlsFromEnv, dial, silentLogger } from "@tessera/protocol";
import type { ClientTls, Connection, JobDone, Logger, Peers, SchedulerToClient } from "@tessera/protocol";
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
  const log = options.log ?? silentLogger;
  const env = clientTlsFromEnv();
  const tls: ClientTls = options.ca !== undefined ? { ...env, ca: options.ca } : env;
  const { conn, welcome } = await dial(target, { op: "hello", protocol: PROTOCOL_VERSION, token, role: "client" }, {
    log, label: `scheduler ${target}`, tls, ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  return new RemoteClient(conn, welcome.id, new PeerPool({ token, log, label: welcome.id, unref: true, tls }));
}

/** Invariant: every run() promise settles: with its outputs, the job's error, or IoError SCHEDULER_LOST. */
export class RemoteClient implements Client {
  private readonly jobs: JobTracker;
  private readonly addresses = new Map<string, string>();
  /** Keeps the process alive while a job runs; the sockets themselves never do, so idle scripts can end. */
  private hold: NodeJS.Timeout | null = null;

  constructor(private readonly conn: Connection, readonly clientId: string, private readonly pool: PeerPool) {
    this.jobs = new JobTracker({ clientId, send: (msg) => this.conn.send(msg), fetchOutputs: (msg) => this.fetchOutputs(msg) });
    conn.use({
      control: (raw) => this.receive(checkMessage<SchedulerToClient | Peers>(raw, SCHEDULER_TO_CLIENT, "scheduler")),
      data: () => { throw new ProtocolError("PROTOCOL_UNEXPECTED", "the scheduler sends no data frames"); },
    });
    conn.keepProcessAlive(false);
    conn.onClose((reason) => this.jobs.failAll(new IoError("SCHEDULER_LOST", `lost the connection to the scheduler: ${reason}`)));
  }

  run(graph: TaskGraph, options: RunOptions = {}): Promise<Map<string, unknown>> {
    this.active(+1);
    return this.jobs.submit(graph, options).finally(() => this.active(-1));
  }

  private running = 0;
  private active(delta: number): void {
    this.running += delta;
    if (this.running > 0 && this.hold === null) this.hold = setInterval(() => {}, 1 << 30);
    if (this.running === 0 && this.hold !== null) {
      clearInterval(this.hold);
      this.hold = null;
    }
  }

  async release(keys: readonly string[]): Promise<void> {
    this.jobs.release(keys);
  }

  async close(): Promise<void> {
    this.conn.close("client closed");
    this.pool.close();
  }

  private receive(msg: SchedulerToClient | Peers): void {
    if (msg.op === "peers") {
      // A worker that left (or moved): drop its connection, so fetches waiting on it fail over to another holder.
      for (const [id, address] of this.addresses) if (msg.addresses[id] !== address) this.pool.forget(address);
      this.addresses.clear();
      for (const [id, address] of Object.entries(msg.addresses)) this.addresses.set(id, address);
      return;
    }
    this.jobs.receive(msg);
  }

  /** Fetches every output from a holder, trying the next one when a holder fails. */
  private async fetchOutputs(msg: JobDone): Promise<Map<string, unknown>> {
    const found = new Map<string, unknown>();
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
        try {
          const got = await this.pool.gather(this.addresses.get(holder) as string, keys);
          for (const [k, v] of got.data) found.set(k, v);
          for (const k of got.missing) failed.add(k);
        } catch {
          for (const k of keys) failed.add(k);
        }
      }));
      todo = todo.filter((t) => failed.has(t.key)).map((t) => ({ key: t.key, holders: t.holders.slice(1) }));
    }
    return found;
  }
}
