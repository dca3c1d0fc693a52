// Many control messages in one frame: what a connection sends in one turn of the event loop leaves as one message.
import { ProtocolError } from "@tessera/common";
import { decodeStrict } from "./decode.js";
import { encodePlain } from "./encode.js";

/**
 * First byte of a batch frame: `[3][msgpack array of control messages]`. Each element is checked like a control
 * frame's message, in order; a batch that is not a non-empty array of at most MAX_BATCH_MESSAGES is malformed.
 */
export const FRAME_BATCH = 3;

/** Most messages in one batch frame; a sender with more writes several frames. */
export const MAX_BATCH_MESSAGES = 4096;

/** `[3][msgpack array]`: the messages in order, packed once. */
export function encodeBatch(msgs: readonly unknown[]): Uint8Array {
  if (msgs.length === 0 || msgs.length > MAX_BATCH_MESSAGES) {
    throw new ProtocolError("PROTOCOL_BAD_FRAME", `a batch holds 1 to ${MAX_BATCH_MESSAGES} messages, not ${msgs.length}`);
  }
  const body = encodePlain(msgs);
  const out = new Uint8Array(1 + body.byteLength);
  out[0] = FRAME_BATCH;
  out.set(body, 1);
  return out;
}

/** The messages of a batch frame's body (after the kind byte); throws ProtocolError PROTOCOL_BAD_FRAME if malformed. */
export function decodeBatchBody(body: Uint8Array): unknown[] {
  const msgs = decodeStrict(body);
  if (!Array.isArray(msgs)) throw new ProtocolError("PROTOCOL_BAD_FRAME", "a batch frame must hold a list of messages");
  if (msgs.length === 0 || msgs.length > MAX_BATCH_MESSAGES) {
    throw new ProtocolError("PROTOCOL_BAD_FRAME", `a batch holds 1 to ${MAX_BATCH_MESSAGES} messages, not ${msgs.length}`);
  }
  return msgs;
}

export interface BatchingSenderOptions {
  /** Writes one encoded frame (a control frame for a lone message, else a batch frame). */
  readonly write: (frame: Uint8Array) => void;
  /** Encodes a lone message as a control frame (frames.ts; passed in so the two files do not import each other). */
  readonly encodeOne: (msg: unknown) => Uint8Array;
  /** Runs `flush` once the current turn's work is done. Default: setImmediate (after this turn's I/O callbacks). */
  readonly schedule?: (flush: () => void) => void;
  /** Messages per frame (default MAX_BATCH_MESSAGES); more in one turn go out as several frames. */
  readonly maxMessages?: number;
}

/**
 * Coalesces the control messages of one event-loop turn into one frame. Invariants: messages leave in the order they
 * were sent; nothing waits past the end of the turn it was sent in (flushed on setImmediate, after every I/O callback
 * of that turn); a caller that must write something else in between (a data frame, a close) calls flush() first.
 */
export class BatchingSender {
  private pending: unknown[] = [];
  private scheduled = false;
  /** Frames written and messages they carried since creation (tests and metrics read them). */
  framesWritten = 0;
  messagesWritten = 0;
  private readonly maxMessages: number;
  private readonly schedule: (flush: () => void) => void;

  constructor(private readonly options: BatchingSenderOptions) {
    this.maxMessages = Math.max(1, Math.min(options.maxMessages ?? MAX_BATCH_MESSAGES, MAX_BATCH_MESSAGES));
    this.schedule = options.schedule ?? ((f) => void setImmediate(f));
  }

  /** Messages waiting for the end of the turn. */
  get pendingCount(): number {
    return this.pending.length;
  }

  send(msg: unknown): void {
    this.pending.push(msg);
    if (this.pending.length >= this.maxMessages) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      this.schedule(this.onTurnEnd);
    }
  }

  /** Writes whatever is pending now, as one frame. */
  flush(): void {
    const msgs = this.pending;
    if (msgs.length === 0) return;
    this.pending = [];
    this.framesWritten++;
    this.messagesWritten += msgs.length;
    this.options.write(msgs.length === 1 ? this.options.encodeOne(msgs[0]) : encodeBatch(msgs));
  }

  /** Forgets what is pending (the connection closed). */
  discard(): void {
    this.pending = [];
  }

  private readonly onTurnEnd = (): void => {
    this.scheduled = false;
    this.flush();
  };
}
