// Fetches results from workers' peer listeners: one connection per address, gathers matched to replies by id.
import { IoError, ProtocolError } from "@tessera/common";
import { dial } from "./connection.js";
import type { Connection } from "./connection.js";
import { GATHER_REPLY_OPS, PROTOCOL_VERSION } from "./handshake.js";
import type { Gather, GatherReply } from "./handshake.js";
import type { Logger } from "./log.js";
import type { ClientTls } from "./tls.js";
import { checkMessage } from "./schema.js";
import { decodeValues } from "./values.js";

export interface Gathered {
  readonly data: Map<string, unknown>;
  readonly missing: readonly string[];
}

interface Pending { readonly resolve: (g: Gathered) => void; readonly reject: (e: unknown) => void }

export interface PeerPoolOptions {
  readonly token: string | null;
  readonly log: Logger;
  /** Who is asking, for the peer's logs. */
  readonly label: string;
  readonly timeoutMs?: number;
  /** Let these connections not keep the process alive (clients hold the process while a job runs instead). */
  readonly unref?: boolean;
  /** What wss:// peers are verified against (default: the environment's, see dial). */
  readonly tls?: ClientTls;
}

/** Invariant: every gather settles: with the reply, or rejected (IoError PEER_UNREACHABLE) when its connection closes. */
export class PeerPool {
  private readonly conns = new Map<string, Promise<Connection>>();
  private readonly pending = new Map<number, Pending>();
  private readonly owner = new Map<number, Connection>();
  private seq = 0;
  private closed = false;

  constructor(private readonly options: PeerPoolOptions) {}

  async gather(address: string, keys: readonly string[]): Promise<Gathered> {
    if (this.closed) throw new IoError("PEER_UNREACHABLE", "the peer pool is closed");
    const conn = await this.connection(address);
    const id = ++this.seq;
    return new Promise<Gathered>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.owner.set(id, conn);
      conn.send({ op: "gather", id, keys } satisfies Gather);
    });
  }

  /** Drops the cached connection to `address` (e.g. the worker there left). */
  forget(address: string): void {
    const c = this.conns.get(address);
    this.conns.delete(address);
    void c?.then((conn) => conn.close("peer forgotten"), () => undefined);
  }

  close(): void {
    this.closed = true;
    for (const address of [...this.conns.keys()]) this.forget(address);
  }

  private connection(address: string): Promise<Connection> {
    let c = this.conns.get(address);
    if (c === undefined) {
      c = this.open(address);
      this.conns.set(address, c);
      c.catch(() => { if (this.conns.get(address) === c) this.conns.delete(address); });
    }
    return c;
  }

  private async open(address: string): Promise<Connection> {
    const { conn } = await dial(address, { op: "hello", protocol: PROTOCOL_VERSION, token: this.options.token, role: "peer", name: this.options.label }, {
      log: this.options.log, label: `peer ${address}`, ...(this.options.timeoutMs !== undefined ? { timeoutMs: this.options.timeoutMs } : {}),
      ...(this.options.tls !== undefined ? { tls: this.options.tls } : {}),
    });
    if (this.options.unref === true) conn.keepProcessAlive(false);
    conn.use({
      control: () => { throw new ProtocolError("PROTOCOL_UNEXPECTED", "a peer sends only gather replies"); },
      data: (header, body) => {
        const h = checkMessage<GatherReply>(header, GATHER_REPLY_OPS, conn.label);
        const p = this.pending.get(h.id);
        if (p === undefined || this.owner.get(h.id) !== conn) throw new ProtocolError("PROTOCOL_UNEXPECTED", `a reply to unknown gather ${h.id}`);
        this.pending.delete(h.id);
        this.owner.delete(h.id);
        let data: Map<string, unknown>;
        try {
          data = decodeValues(h.values, body);
        } catch (e) {
          // The gather fails with the reason, and the connection closes (the throw): never a gather left waiting.
          p.reject(e);
          throw e;
        }
        p.resolve({ data, missing: h.missing });
      },
    });
    conn.onClose((reason) => {
      if (this.conns.get(address) !== undefined) this.conns.delete(address);
      for (const [id, c] of this.owner) {
        if (c !== conn) continue;
        this.owner.delete(id);
        const p = this.pending.get(id);
        this.pending.delete(id);
        p?.reject(new IoError("PEER_UNREACHABLE", `lost the connection to ${address}: ${reason}`, { address }));
      }
    });
    return conn;
  }
}
