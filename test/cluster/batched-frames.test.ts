// Over real WebSockets, a scheduler and a worker exchange tasks and results in batch frames: no socket write per task.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "tessera";
import type { RemoteClient } from "tessera";
import type { TaskGraph, TaskSpec } from "@tessera/graph";
import { SchedulerWsServer } from "@tessera/scheduler";
import { WsWorker } from "@tessera/worker";
import { TEST_OPS_MODULE } from "@tessera/worker/testing";

let scheduler: SchedulerWsServer;
let worker: WsWorker;
let client: RemoteClient;

beforeAll(async () => {
  scheduler = await SchedulerWsServer.start({ port: 0, tickMs: 0 });
  worker = await WsWorker.start({ scheduler: scheduler.url, name: "bw1", threads: 1, opModules: [TEST_OPS_MODULE], heartbeatMs: 0 });
  client = await connect(scheduler.url, { token: null });
}, 30_000);

afterAll(async () => {
  await client?.close();
  await worker?.close();
  await scheduler?.close();
});

/** `groups` groups of 99 leaves (each its index) and a sink summing them. */
function sums(groups: number): { graph: TaskGraph; expected: Map<string, number> } {
  const tasks: TaskSpec[] = [];
  const expected = new Map<string, number>();
  for (let g = 0; g < groups; g++) {
    const leaves = Array.from({ length: 99 }, (_, i) => `leaf-${g}-${i}`);
    leaves.forEach((key, i) => tasks.push({ key, op: "sum-inputs", args: g * 1000 + i, deps: [] }));
    tasks.push({ key: `sink-${g}`, op: "sum-inputs", args: 0, deps: leaves });
    expected.set(`sink-${g}`, 99 * g * 1000 + (98 * 99) / 2);
  }
  return { graph: { tasks, outputs: [...expected.keys()] }, expected };
}

describe("batched frames between a scheduler and a worker", () => {
  it("runs 3,000 tasks with far fewer frames than messages each way, and the right answers", async () => {
    const { graph, expected } = sums(30);
    const entry = scheduler.workers.get("bw1");
    if (entry === undefined) throw new Error("the worker did not join");
    const sentBefore = { frames: entry.conn.sender.framesWritten, messages: entry.conn.sender.messagesWritten };
    const receivedBefore = { frames: entry.conn.framesReceived, messages: entry.conn.messagesReceived };
    const values = await client.run(graph);
    expect(values).toEqual(expected);
    const sent = { frames: entry.conn.sender.framesWritten - sentBefore.frames, messages: entry.conn.sender.messagesWritten - sentBefore.messages };
    const received = { frames: entry.conn.framesReceived - receivedBefore.frames, messages: entry.conn.messagesReceived - receivedBefore.messages };
    // Every task was sent (compute-task) and reported (task-finished) once.
    expect(sent.messages).toBeGreaterThanOrEqual(3000);
    expect(received.messages).toBeGreaterThanOrEqual(3000);
    // Batches: the scheduler sends a turn's tasks in one frame; the worker reports a pool batch's results in one.
    expect(sent.frames * 4).toBeLessThan(sent.messages);
    expect(received.frames * 4).toBeLessThan(received.messages);
  });
});
