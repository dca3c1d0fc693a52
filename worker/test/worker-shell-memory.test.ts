// The worker shell pauses its state machine when the store's bytes in memory pass the pause fraction, and resumes.
import { describe, expect, it } from "vitest";
import type { WorkerToScheduler } from "@tessera/protocol";
import { InlineRunner, SpillingStore, WorkerShell } from "@tessera/worker";
import { TEST_OPS_MODULE } from "@tessera/worker/testing";

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 10_000 && !cond(); i++) await new Promise<void>((resolve) => setImmediate(resolve));
  expect(cond()).toBe(true);
}

function shellWith(options: { memoryTarget?: number | false }): { shell: WorkerShell; sent: WorkerToScheduler[] } {
  const sent: WorkerToScheduler[] = [];
  const shell = new WorkerShell({
    workerId: "w1", runner: new InlineRunner({ opModules: [TEST_OPS_MODULE] }), nthreads: 1, heartbeatMs: 0, validate: true,
    link: { toScheduler: (m) => sent.push(m), gather: () => Promise.reject(new Error("no peers")) },
    memoryLimit: 1000, ...options,
  });
  return { shell, sent };
}

const compute = (key: string, runId: number, op: string, args: unknown, order: number) => ({
  op: "compute-task" as const, stimulusId: `c-${key}`, workerId: "w1", key, runId, spec: { op, args }, deps: [], priority: [1, order] as const,
});

describe("WorkerShell memory", () => {
  it("pauses past the pause fraction when nothing can spill, and resumes once data is freed", async () => {
    const { shell, sent } = shellWith({ memoryTarget: false });
    shell.receive(compute("big", 1, "make-array", { n: 120 }, 0)); // 960 bytes > 0.8 * 1000
    shell.receive(compute("next", 2, "noop", null, 1));
    await until(() => shell.state.paused);
    // The pause takes effect before the result's own stimulus could start the next task.
    expect(sent.map((m) => `${m.op} ${"key" in m ? m.key : ""}`)).toEqual(["worker-heartbeat ", "task-finished big"]);
    expect(sent[0]).toMatchObject({ op: "worker-heartbeat", memory: 960, spilled: 0, paused: true, executing: 1, ready: 1 });
    expect(shell.state.taskState("next")).toBe("ready");
    shell.receive({ op: "free-keys", stimulusId: "f", workerId: "w1", keys: ["big"] });
    await until(() => sent.some((m) => m.op === "task-finished" && m.key === "next"));
    expect(sent.slice(2).map((m) => m.op === "worker-heartbeat" ? `heartbeat paused=${String(m.paused)}` : m.op)).toEqual([
      "heartbeat paused=false", "task-finished",
    ]);
    await shell.close();
  });

  it("spills instead of pausing when it can, and reports spilled bytes", async () => {
    const { shell, sent } = shellWith({});
    expect(shell.store).toBeInstanceOf(SpillingStore);
    shell.receive(compute("big", 1, "make-array", { n: 120 }, 0));
    shell.receive(compute("next", 2, "noop", null, 1));
    await until(() => sent.filter((m) => m.op === "task-finished").length === 2);
    expect(shell.state.paused).toBe(false);
    expect([shell.store.spilledBytes, shell.store.memoryBytes]).toEqual([960, 0]);
    const dir = (shell.store as SpillingStore).directory;
    expect(dir).not.toBeNull();
    await shell.close();
  });
});
