// The server shell's timer: tick stimuli let the scheduler time out a worker whose heartbeats stopped.
import { describe, expect, it } from "vitest";
import { SchedulerServer } from "@tessera/scheduler";
import type { SchedulerToWorker } from "@tessera/protocol";

describe("SchedulerServer ticks", () => {
  it("removes a silent worker once the clock passes the timeout", async () => {
    let clock = 0;
    const toWorkers: SchedulerToWorker[] = [];
    const server = new SchedulerServer(
      { toWorker: (_id, m) => toWorkers.push(m), toClient: () => {} },
      { now: () => clock, tickMs: 2, workerTimeoutMs: 1000, validate: true },
    );
    server.event({ op: "worker-added", workerId: "w1", nthreads: 1, memoryLimit: 1000 });
    server.event({ op: "worker-added", workerId: "w2", nthreads: 1, memoryLimit: 1000 });
    const ids = (): string[] => server.state.workers().map((w) => w.id);
    // Small clock steps (no stall): w2 keeps sending heartbeats, w1 is silent.
    for (let i = 0; i < 10_000 && ids().length === 2; i++) {
      clock += 100;
      server.receive({ op: "worker-heartbeat", stimulusId: `hb-${i}`, workerId: "w2", memory: 0, executing: 0, ready: 0 });
      await new Promise<void>((resolve) => setTimeout(resolve, 3));
    }
    expect(ids()).toEqual(["w2"]);
    expect(clock).toBeGreaterThan(1000);
    server.close();
  });
});
