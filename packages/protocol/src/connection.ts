// One WebSocket connection speaking Tessera frames: decode, hand to a handler, close only this one on violations.
import { IoError, ProtocolError, assertNever, errorFromInfo, errorToInfo, isTesseraError } from "@tessera/common";
import WebSocket from "ws";
import { BatchingSender } from "./batch.js";
import { decodeFrame, encodeControl, encodeData } from "./frames.js";
import type { Frame } from "./frames.js";
import { CLOSE_AUTH, CLOSE_PROTOCOL, CLOSE_SHUTDOWN, PROTOCOL_VERSION, WELCOME_OPS } from "./handshake.js";
import type { Hello, Refused, Welcome } from "./handshake.js";
import type { Logger } from "./log.js";
import { checkTokenTransport } from "./listen-policy.js";
import { checkMessage } from "./schema.js";
import { clientTlsFromEnv } from "./tls.js";
import type { ClientTls } from "./tls.js";

/** What a connection does with its frames; a throw closes the connection (ProtocolErrors with their code). */
export interface FrameHandler {
  control(msg: unknown): void;
  data(header: unknown, body: Uint8Array): void;
}

const REJECT_ALL: FrameHandler = {
  control: () => { throw new ProtocolError("PROTOCOL_UNEXPECTED", "no message was expected"); },
  data: () => { throw new ProtocolError("PROTOCOL_UNEXPECTED", "no data frame was expected"); },
};

/**
 * Wraps a `ws` socket. Invariants: every received frame is decoded strictly and given to `handler` in order;
 * anything malformed or unexpected closes this connection with a logged reason, never the process.
 */
export class Connection {
  handler: FrameHandler = REJECT_ALL;
  private held: Frame[] | null = null;
  private corked = false;
  /** Control messages of one event-loop turn leave in one frame. */
  readonly sender = new BatchingSender({ write: (frame) => this.write(frame), encodeOne: encodeControl });
  /** Frames received, and the control messages they carried (a batch counts each), since the connection opened. */
  framesReceived = 0;
  messagesReceived = 0;
  private closedReason: string | null = null;
  private readonly closeListeners: ((reason: string) => void)[] = [];

  constructor(readonly ws: WebSocket, public label: string, private readonly log: Logger) {
    ws.on("message", (data, isBinary) => this.onMessage(data, isBinary));
    ws.on("close", (code, reason) => this.closed(`closed (${code}${reason.length > 0 ? `: ${reason.toString()}` : ""})`));
    ws.on("error", (e) => this.closed(`socket error: ${e.message}`));
  }

  get isOpen(): boolean {
    return this.closedReason === null && this.ws.readyState === WebSocket.OPEN;
  }

  /**
   * Whether this socket alone keeps the process alive (Node's ref/unref). A client's idle connections are unref'd
   * so a script can end; `ws` exposes no public handle, hence its `_socket`.
   */
  keepProcessAlive(keep: boolean): void {
    const socket = (this.ws as unknown as { _socket?: { ref(): void; unref(): void } })._socket;
    if (keep) socket?.ref();
    else socket?.unref();
  }

  /** Holds frames until `use()` installs their handler (the dialer's frames right after the welcome). */
  buffer(): void {
    const held: Frame[] = [];
    this.held = held;
    this.handler = {
      control: (msg) => { held.push({ kind: "control", msg }); },
      data: (header, body) => { held.push({ kind: "data", header, body }); },
    };
  }

  /** Installs `handler` and replays any frames held since `buffer()`. */
  use(handler: FrameHandler): void {
    const held = this.held;
    this.held = null;
    this.handler = handler;
    for (const f of held ?? []) {
      if (this.closedReason !== null) return;
      try {
        this.dispatch(f);
      } catch (e) {
        this.fail(e);
      }
    }
  }

  onClose(f: (reason: string) => void): void {
    if (this.closedReason !== null) f(this.closedReason);
    else this.closeListeners.push(f);
  }

  /** Sends a control message with the others of this event-loop turn, in one frame (see BatchingSender). */
  send(msg: unknown): void {
    if (!this.isOpen) return;
    this.sender.send(msg);
  }

  /**
   * Sends a control message now, alone in its frame, after anything pending: the handshake's messages, so that a
   * peer speaking another protocol version still reads them and learns why it is refused.
   */
  sendNow(msg: unknown): void {
    if (!this.isOpen) return;
    this.sender.flush();
    this.write(encodeControl(msg));
  }

  /** Sends a data frame, after the control messages sent before it. */
  sendData(header: unknown, parts: readonly Uint8Array[]): void {
    if (!this.isOpen) return;
    this.sender.flush();
    this.write(encodeData(header, parts));
  }

  private write(frame: Uint8Array): void {
    if (!this.isOpen) return;
    this.batchWrites();
    this.ws.send(frame);
  }

  /**
   * Messages sent in one turn of the event loop leave in one write: the socket is corked until the next tick.
   * (ws disables Nagle, so otherwise every small control message is its own packet and wake-up of the peer.)
   */
  private batchWrites(): void {
    if (this.corked) return;
    const socket = (this.ws as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
    if (socket === undefined) return;
    this.corked = true;
    socket.cork();
    process.nextTick(() => {
      this.corked = false;
      socket.uncork();
    });
  }

  /** Closes this connection for a violation: logs why, tells the peer (refused), closes with 4401 or 4400. */
  fail(e: unknown): void {
    if (this.closedReason !== null) return;
    const info = errorToInfo(e);
    this.log.warn(`closing ${this.label}: ${info.code}: ${info.message}`);
    this.sendNow({ op: "refused", error: info } satisfies Refused);
    const code = info.code === "PROTOCOL_AUTH" ? CLOSE_AUTH : CLOSE_PROTOCOL;
    this.ws.close(code, info.code);
    this.closed(`${info.code}: ${info.message}`);
    // A peer that ignores the close handshake is cut off.
    setTimeout(() => this.ws.terminate(), 1000).unref();
  }

  close(reason = "shutdown"): void {
    if (this.closedReason !== null) return;
    if (this.isOpen) this.sender.flush();
    this.ws.close(CLOSE_SHUTDOWN, reason.slice(0, 100));
    this.closed(reason);
  }

  private closed(reason: string): void {
    if (this.closedReason !== null) return;
    this.closedReason = reason;
    this.sender.discard();
    this.handler = REJECT_ALL;
    for (const f of this.closeListeners.splice(0)) f(reason);
  }

  /** Hands a frame to the handler; a batch message by message, stopping if one of them closed the connection. */
  private dispatch(frame: Frame): void {
    switch (frame.kind) {
      case "control":
        this.messagesReceived++;
        this.handler.control(frame.msg);
        break;
      case "batch":
        for (const msg of frame.msgs) {
          if (this.closedReason !== null) return;
          this.messagesReceived++;
          this.handler.control(msg);
        }
        break;
      case "data":
        this.handler.data(frame.header, frame.body);
        break;
      default:
        assertNever(frame, "frame");
    }
  }

  private onMessage(data: WebSocket.RawData, isBinary: boolean): void {
    if (this.closedReason !== null) return;
    try {
      if (!isBinary) throw new ProtocolError("PROTOCOL_BAD_FRAME", "text frames are not part of the protocol");
      const bytes = Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? new Uint8Array(data) : data;
      this.framesReceived++;
      this.dispatch(decodeFrame(bytes));
    } catch (e) {
      this.fail(isTesseraError(e) ? e : new ProtocolError("PROTOCOL_BAD_MESSAGE", e instanceof Error ? e.message : String(e)));
    }
  }
}

export interface DialOptions {
  readonly log: Logger;
  readonly label: string;
  /** Largest frame accepted from this peer. */
  readonly maxPayload?: number;
  readonly timeoutMs?: number;
  /** CA and name to verify wss:// servers against (default: TESSERA_TLS_CA and TESSERA_TLS_SERVERNAME). */
  readonly tls?: ClientTls;
}

/**
 * Connects to `url`, sends `hello` and resolves once welcomed. Rejects with the peer's refusal (e.g. ProtocolError
 * PROTOCOL_AUTH), ProtocolError PROTOCOL_TOKEN_NEEDS_TLS (a token for ws:// off this machine; nothing is sent), or
 * IoError PEER_UNREACHABLE when it cannot connect (a wss:// server whose certificate is not trusted included) or no
 * answer comes within the timeout.
 */
export function dial(url: string, hello: Hello, options: DialOptions): Promise<{ conn: Connection; welcome: Welcome }> {
  return new Promise((resolve, reject) => {
    checkTokenTransport(url, hello.token);
    const tls = options.tls ?? clientTlsFromEnv();
    const ws = new WebSocket(url, {
      maxPayload: options.maxPayload ?? 2 ** 31 - 1, perMessageDeflate: false,
      ...(tls.ca !== undefined ? { ca: tls.ca } : {}), ...(tls.servername !== undefined ? { servername: tls.servername } : {}),
    });
    const conn = new Connection(ws, options.label, options.log);
    let settled = false;
    const done = (e: unknown, ok?: Welcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (ok !== undefined) resolve({ conn, welcome: ok });
      else {
        ws.terminate();
        reject(e);
      }
    };
    const timer = setTimeout(() => done(new IoError("PEER_UNREACHABLE", `no answer from ${url} within ${options.timeoutMs ?? 10_000} ms`, { url })), options.timeoutMs ?? 10_000);
    timer.unref();
    conn.handler = {
      control: (raw) => {
        const msg = checkMessage<Welcome | Refused>(raw, WELCOME_OPS, options.label);
        if (msg.op === "refused") done(errorFromInfo(msg.error));
        else if (msg.protocol !== PROTOCOL_VERSION) done(new ProtocolError("PROTOCOL_VERSION", `${url} speaks protocol ${msg.protocol}`));
        else {
          conn.buffer();
          done(null, msg);
        }
      },
      data: () => { throw new ProtocolError("PROTOCOL_UNEXPECTED", "a data frame before the handshake"); },
    };
    ws.on("open", () => conn.sendNow(hello));
    conn.onClose((reason) => done(new IoError("PEER_UNREACHABLE", `cannot connect to ${url}: ${reason}`, { url })));
  });
}
