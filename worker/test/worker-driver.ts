// Test driver for the worker state machine: stamps stimulus ids and time, builds compute-task messages.
import { WorkerState } from "@tessera/worker";
import type { WorkerInstruction, WorkerStimulus } from "@tessera/worker";
import type { ComputeTask } from "@tessera/protocol";

type Bare<T> = T extends unknown ? Omit<T, "stimulusId" | "time"> : never;

export class WDriver {
  readonly state: WorkerState;
  private n = 0;

  constructor(nthreads = 1, workerId = "w1") {
    this.state = new WorkerState({ workerId, nthreads, validate: true });
  }

  send(msg: Bare<WorkerStimulus>, id?: string): WorkerInstruction[] {
    return this.state.handle({ ...msg, stimulusId: id ?? `s${++this.n}`, time: 0 } as WorkerStimulus);
  }

  compute(key: string, runId: number, deps: [string, string[]][] = [], order = 0): WorkerInstruction[] {
    return this.send(computeTask(key, runId, deps, order));
  }

  done(key: string, nbytes = 8): WorkerInstruction[] {
    return this.send({ op: "execute-success", key, nbytes });
  }
}

export function computeTask(key: string, runId: number, deps: [string, string[]][] = [], order = 0): Omit<ComputeTask, "stimulusId"> {
  return {
    op: "compute-task", workerId: "w1", key, runId, spec: { op: "noop", args: null }, priority: [1, order],
    deps: deps.map(([k, whoHas]) => ({ key: k, whoHas, nbytes: 8 })),
  };
}

/** Just the ops and keys of instructions, e.g. "execute a", "gather-dep w2 d1,d2", "send task-finished a 1". */
export function brief(out: readonly WorkerInstruction[]): string[] {
  return out.map((i) => {
    switch (i.op) {
      case "execute": return `execute ${i.key}`;
      case "gather-dep": return `gather-dep ${i.from} ${i.keys.join(",")}`;
      case "free-data": return `free-data ${i.keys.join(",")}`;
      case "send": {
        const m = i.msg;
        if (m.op === "missing-data") return `send missing-data ${m.key} ${m.dep} [${m.holders.join(",")}]`;
        if (m.op === "worker-heartbeat") return "send worker-heartbeat";
        if (m.op === "add-keys") return `send add-keys ${m.keys.map((k) => k.key).join(",")} failed ${m.failed.join(",")}`;
        if (m.op === "worker-retiring") return "send worker-retiring";
        return `send ${m.op} ${m.key} ${m.runId}`;
      }
    }
  });
}
