// Batch frames: one event-loop turn's control messages leave in one frame, arrive in order, and a malformed batch closes only its connection.
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import {
  BatchingSender, Connection, FRAME_BATCH, FRAME_CONTROL, MAX_BATCH_MESSAGES, decodeFrame, decodeStrict, encodeBatch, encodeControl,
  encodePlain, silentLogger,
} from "@tessera/protocol";

/** Waits on state (bounded): polls `f` until it equals `want`. */
const settles = <T>(f: () => T, want: T): Promise<void> => expect.poll(f, { timeout: 15_000, interval: 5 }).toEqual(want);

/** Resolves after the current turn of the event loop, including its setImmediate callbacks. */
const nextTurn = (): Promise<void> => new Promise((r) => setImmediate(() => setImmediate(r)));

function collectingSender(maxMessages?: number): { sender: BatchingSender; frames: Uint8Array[] } {
  const frames: Uint8Array[] = [];
  const sender = new BatchingSender({ write: (f) => frames.push(f), encodeOne: encodeControl, ...(maxMessages !== undefined ? { maxMessages } : {}) });
  return { sender, frames };
}

function messagesOf(frames: readonly Uint8Array[]): unknown[] {
  return frames.flatMap((f) => {
    const frame = decodeFrame(f);
    if (frame.kind === "control") return [frame.msg];
    if (frame.kind === "batch") return [...frame.msgs];
    throw new Error("unexpected data frame");
  });
}

describe("BatchingSender", () => {
  it("sends the messages of one turn as one batch frame, in order, at the end of the turn", async () => {
    const { sender, frames } = collectingSender();
    for (let i = 0; i < 300; i++) sender.send({ op: "task-finished", key: `k-${i}`, runId: i });
    expect(frames).toHaveLength(0);
    expect(sender.pendingCount).toBe(300);
    await nextTurn();
    expect(frames).toHaveLength(1);
    expect(frames[0]?.[0]).toBe(FRAME_BATCH);
    expect(messagesOf(frames)).toEqual(Array.from({ length: 300 }, (_, i) => ({ op: "task-finished", key: `k-${i}`, runId: i })));
    expect(sender.framesWritten).toBe(1);
    expect(sender.messagesWritten).toBe(300);
  });

  it("sends a lone message as a plain control frame, and each turn's messages in their own frame", async () => {
    const { sender, frames } = collectingSender();
    sender.send({ op: "a" });
    await nextTurn();
    sender.send({ op: "b" });
    sender.send({ op: "c" });
    await nextTurn();
    expect(frames.map((f) => f[0])).toEqual([FRAME_CONTROL, FRAME_BATCH]);
    expect(messagesOf(frames)).toEqual([{ op: "a" }, { op: "b" }, { op: "c" }]);
  });

  it("splits a turn with more messages than a frame may hold, keeping their order", async () => {
    const { sender, frames } = collectingSender(100);
    for (let i = 0; i < 250; i++) sender.send({ op: "x", i });
    await nextTurn();
    expect(frames).toHaveLength(3);
    expect(messagesOf(frames).map((m) => (m as { i: number }).i)).toEqual(Array.from({ length: 250 }, (_, i) => i));
  });

  it("flush() writes what is pending at once; discard() drops it", async () => {
    const { sender, frames } = collectingSender();
    sender.send({ op: "first" });
    sender.flush();
    expect(messagesOf(frames)).toEqual([{ op: "first" }]);
    sender.send({ op: "dropped" });
    sender.discard();
    await nextTurn();
    expect(frames).toHaveLength(1);
  });
});

describe("batch frames", () => {
  const batchOf = (value: unknown): Uint8Array => Uint8Array.from([FRAME_BATCH, ...encodePlain(value)]);

  it("round-trip through encodeBatch and decodeFrame", () => {
    expect(decodeFrame(encodeBatch([{ op: "a" }, { op: "b", n: 1 }]))).toEqual({ kind: "batch", msgs: [{ op: "a" }, { op: "b", n: 1 }] });
  });

  it("refuse a body that is not a list, an empty list, too many messages and truncated bytes", () => {
    expect(() => decodeFrame(batchOf({ op: "a" }))).toThrow(expect.objectContaining({ code: "PROTOCOL_BAD_FRAME" }));
    expect(() => decodeFrame(batchOf([]))).toThrow(/1 to 4096 messages/);
    expect(() => decodeFrame(batchOf(Array.from({ length: MAX_BATCH_MESSAGES + 1 }, () => 0)))).toThrow(/1 to 4096 messages, not 4097/);
    const whole = encodeBatch([{ op: "a" }, { op: "b" }]);
    expect(() => decodeFrame(whole.subarray(0, whole.length - 2))).toThrow(expect.objectContaining({ code: "PROTOCOL_BAD_FRAME" }));
    expect(() => encodeBatch([])).toThrow(/1 to 4096/);
  });
});

describe("strict decoding of short strings", () => {
  it("reads ASCII and UTF-8 strings of every short length and refuses invalid UTF-8", () => {
    for (const s of ["", "a", "task-finished", "x".repeat(48), "x".repeat(49), "é", "kéy-ü-∑", "😀".repeat(12)]) {
      expect(decodeStrict(encodePlain({ [s]: s }))).toEqual({ [s]: s });
    }
    expect(() => decodeStrict(Uint8Array.from([0xa2, 0xc3, 0x28]))).toThrow(/invalid UTF-8/);
  });
});

describe("Connection over a WebSocket", () => {
  let server: WebSocketServer | null = null;
  afterEach(async () => {
    for (const ws of server?.clients ?? []) ws.terminate();
    await new Promise<void>((r) => (server === null ? r() : server.close(() => r())));
    server = null;
  });

  /** A server whose connections hand every control message to `received` (per connection index). */
  async function listen(received: unknown[][], closes: number[][]): Promise<string> {
    server = new WebSocketServer({ port: 0, host: "127.0.0.1" });
    await once(server, "listening");
    server.on("connection", (ws) => {
      const i = received.length;
      received.push([]);
      closes.push([]);
      const conn = new Connection(ws, `conn ${i}`, silentLogger);
      conn.handler = {
        control: (msg) => {
          if (typeof msg !== "object" || msg === null || (msg as { op?: unknown }).op !== "ok") throw new Error("not an ok message");
          received[i]?.push(msg);
        },
        data: () => { throw new Error("no data expected"); },
      };
      ws.on("close", (code) => closes[i]?.push(code));
    });
    return `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it("writes one WebSocket message for the messages of one turn, which the receiver handles in order", async () => {
    const received: unknown[][] = [];
    const url = await listen(received, []);
    const ws = new WebSocket(url);
    await once(ws, "open");
    const conn = new Connection(ws, "sender", silentLogger);
    for (let i = 0; i < 500; i++) conn.send({ op: "ok", i });
    await settles(() => received[0]?.length ?? 0, 500);
    expect(received[0]?.map((m) => (m as { i: number }).i)).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect(conn.sender.framesWritten).toBe(1);
    conn.close();
  });

  it("closes only the connection that sent a malformed batch, or a batch with one bad message", async () => {
    const received: unknown[][] = [];
    const closes: number[][] = [];
    const url = await listen(received, closes);
    const good = new WebSocket(url);
    const notAList = new WebSocket(url);
    const badInside = new WebSocket(url);
    await Promise.all([once(good, "open"), once(notAList, "open"), once(badInside, "open")]);
    await settles(() => received.length, 3);
    notAList.send(Uint8Array.from([FRAME_BATCH, ...encodePlain({ op: "ok" })]));
    badInside.send(encodeBatch([{ op: "ok", n: 1 }, { op: "evil" }, { op: "ok", n: 3 }]));
    await settles(() => closes.filter((c) => c.length > 0).length, 2);
    expect(closes.flat()).toEqual([4400, 4400]);
    // The message before the bad one was handled, the one after it was not; the good connection still works.
    expect(received.flat()).toEqual([{ op: "ok", n: 1 }]);
    good.send(encodeBatch([{ op: "ok", n: 7 }, { op: "ok", n: 8 }]));
    await settles(() => received.flat().length, 3);
    expect(good.readyState).toBe(WebSocket.OPEN);
    good.close();
  });
});
