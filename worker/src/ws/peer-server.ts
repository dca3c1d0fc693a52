// A worker's own WebSocket listener: serves peers' (and clients') gathers from its store as Arrow IPC data frames.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Connection, GATHER_OPS, acceptHandshake, checkListener, checkMessage, createListener, encodeValue, silentLogger } from "@tessera/protocol";
import type { EncodedValue, Gather, GatherReply as WireGatherReply, Logger, ServerTls } from "@tessera/protocol";
import { WebSocketServer } from "ws";
import type { GatherReply } from "../shell/worker-shell.js";

export interface PeerServerOptions {
  readonly host?: string;
  readonly port?: number;
  readonly token?: string | null;
  readonly log?: Logger;
  /** Largest frame accepted from a peer (gather requests are small). Default 64 MiB. */
  readonly maxMessageBytes?: number;
  /** Reads the requested keys from the store. */
  readonly serve: (keys: readonly string[]) => Promise<GatherReply>;
  /** Serve wss:// with this certificate and key. */
  readonly tls?: ServerTls | null;
  /** Allow listening off loopback without a token (logged loudly); refused otherwise. */
  readonly insecure?: boolean;
}

/** Invariant: a gather is answered with one data frame carrying every requested key, as a value or as missing. */
export class PeerServer {
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly log: Logger;
  private seq = 0;

  private constructor(private readonly options: PeerServerOptions) {
    this.log = options.log ?? silentLogger;
    this.http = createListener(options.tls, (_req, res) => res.writeHead(426).end("tessera worker: WebSocket only\n"));
    this.wss = new WebSocketServer({ server: this.http, maxPayload: options.maxMessageBytes ?? 64 * 1024 * 1024, perMessageDeflate: false });
    this.wss.on("connection", (ws, req) => this.accept(new Connection(ws, `peer connection from ${req.socket.remoteAddress}:${req.socket.remotePort}`, this.log)));
  }

  /** Listens on `host` (default 127.0.0.1); off loopback only with a token or `insecure` (see checkListener). */
  static async start(options: PeerServerOptions): Promise<PeerServer> {
    checkListener({
      what: "the worker's peer listener", host: options.host ?? "127.0.0.1", token: options.token, tls: options.tls != null,
      insecure: options.insecure === true, ...(options.log !== undefined ? { log: options.log } : {}),
    });
    const s = new PeerServer(options);
    await new Promise<void>((resolve, reject) => {
      s.http.once("error", reject);
      s.http.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
    });
    return s;
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  /** The address peers dial: ws://<advertised host>:<port>. */
  address(advertisedHost?: string): string {
    const host = advertisedHost ?? this.options.host ?? "127.0.0.1";
    return `${this.options.tls != null ? "wss" : "ws"}://${host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host}:${this.port}`;
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private accept(conn: Connection): void {
    acceptHandshake(conn, {
      token: this.options.token ?? null,
      roles: ["peer"],
      onHello: (hello) => {
        conn.label = `peer ${hello.name ?? "?"} (${conn.label})`;
        conn.handler = {
          control: (raw) => this.gather(conn, checkMessage<Gather>(raw, GATHER_OPS, conn.label)),
          data: () => { throw new Error("peers send no data frames to a worker"); },
        };
        return `peer-${++this.seq}`;
      },
    });
  }

  private gather(conn: Connection, req: Gather): void {
    this.options.serve(req.keys).then(
      (reply) => {
        const parts: Uint8Array[] = [];
        const values: EncodedValue[] = [];
        for (const [key, value] of reply.data) values.push(encodeValue(key, value, parts));
        conn.sendData({ op: "gather-reply", id: req.id, values, missing: [...reply.missing] } satisfies WireGatherReply, parts);
      },
    ).catch(
      (e: unknown) => {
        // The store could not read them (e.g. a spill file failed): report them missing, the asker retries elsewhere.
        this.log.warn(`could not serve ${req.keys.length} keys to ${conn.label}: ${e instanceof Error ? e.message : String(e)}`);
        conn.sendData({ op: "gather-reply", id: req.id, values: [], missing: [...req.keys] } satisfies WireGatherReply, []);
      },
    );
  }
}
