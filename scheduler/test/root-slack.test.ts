// Scheduler state machine: root tasks of groups that run fast are given to workers in depth (rootQueueMs), slow ones are not.
import { describe, expect, it } from "vitest";
import type { TaskSpec } from "@tessera/graph";
import { MAX_ROOT_SLACK_PER_THREAD } from "@tessera/scheduler";
import type { SchedulerOptions } from "@tessera/scheduler";
import { Driver } from "./driver.js";

function roots(prefix: string, n: number, label: string): TaskSpec[] {
  return Array.from({ length: n }, (_, i) => ({ key: `${prefix}-${i}`, op: "noop", args: null, deps: [], label: { name: label, partition: i } }));
}

function cluster(options: SchedulerOptions = {}, nthreads = 1): Driver {
  const d = new Driver(options);
  d.connect();
  d.addWorker("w1", nthreads);
  return d;
}

/** Reports `key` finished after running `ms` (worker clock), as workers do. */
function finishAfter(d: Driver, key: string, ms: number): void {
  const c = d.assignment(key);
  d.send({ op: "task-finished", workerId: c.workerId, key, runId: c.runId, nbytes: 8, startedAt: 1000, finishedAt: 1000 + ms });
}

const processing = (d: Driver): number => d.state.counts().processing ?? 0;

describe("SchedulerState: root slack by run time", () => {
  it("keeps nthreads + rootSlack root tasks on a worker until the group's run time is known", () => {
    const d = cluster({}, 2);
    const tasks = roots("r", 1000, "fast");
    d.submit({ tasks, outputs: tasks.map((t) => t.key) });
    expect(processing(d)).toBe(3);
  });

  it("gives a worker enough tasks of a fast group to cover rootQueueMs, capped per thread", () => {
    const d = cluster({ rootQueueMs: 2 }, 1);
    const tasks = roots("r", 2000, "fast");
    d.submit({ tasks, outputs: tasks.map((t) => t.key) });
    expect(processing(d)).toBe(2);
    // 0.01 ms per task: 2 ms is 200 tasks per thread.
    finishAfter(d, "r-0", 0.01);
    expect(processing(d)).toBe(1 + 200);
    // Whole milliseconds of 0 (a task faster than the worker's clock) raise the slack to the cap. The worker, 200 tasks
    // in and out of its run (it was full), is past its low water (1 + half the slack) and takes none until down to it;
    // then it fills up to the cap in one run.
    finishAfter(d, "r-1", 0);
    const onWorker = (): number | undefined => d.state.workers()[0]?.processing.length;
    expect(onWorker()).toBe(200);
    const low = 1 + MAX_ROOT_SLACK_PER_THREAD / 2;
    for (let i = 2; onWorker() !== low + 1; i++) {
      const before = onWorker() as number;
      finishAfter(d, `r-${i}`, 0);
      expect(onWorker()).toBe(before - 1);
    }
    finishAfter(d, `r-${2 + 200 - low - 1}`, 0);
    expect(onWorker()).toBe(1 + MAX_ROOT_SLACK_PER_THREAD);
    expect(d.state.counts()).toMatchObject({ memory: 2 + 200 - low, queued: 2000 - (2 + 200 - low) - 1 - MAX_ROOT_SLACK_PER_THREAD });
  });

  it("gives consecutive root tasks to one worker in runs, threads with nothing to run first", () => {
    const d = cluster({ rootQueueMs: 2 }, 1);
    d.addWorker("w2", 1);
    const tasks = roots("r", 2000, "fast");
    d.submit({ tasks, outputs: tasks.map((t) => t.key) });
    // One task each (an idle thread comes first), then slack 1 each: w1 r-0, r-2; w2 r-1, r-3.
    expect(["r-0", "r-1", "r-2", "r-3"].map((k) => d.assignment(k).workerId)).toEqual(["w1", "w2", "w1", "w2"]);
    // The group runs fast (0.01 ms, slack 200): w1 fills up to 201 in one run of consecutive tasks, then w2.
    finishAfter(d, "r-0", 0.01);
    finishAfter(d, "r-1", 0.01);
    const on = (i: number): string => d.assignment(`r-${i}`).workerId;
    for (let i = 4; i < 4 + 200; i++) expect(on(i)).toBe("w1");
    for (let i = 4 + 200; i < 4 + 400; i++) expect(on(i)).toBe("w2");
    expect(d.state.workers().map((w) => w.processing.length)).toEqual([201, 201]);
    // As tasks finish, a worker takes none until down to its low water (1 + 100), then a run of 100 consecutive ones.
    for (let i = 2; i < 102; i += 2) finishAfter(d, `r-${i}`, 0.01);
    expect(d.state.workers().map((w) => w.processing.length)).toEqual([151, 201]);
    for (let i = 102; i < 152; i++) finishAfter(d, `r-${i}`, 0.01);
    expect(d.state.workers()[0]?.processing.length).toBe(201);
    const run = Array.from({ length: 100 }, (_, i) => on(4 + 400 + i));
    expect(run).toEqual(Array(100).fill("w1"));
  });

  it("scales the slack with the worker's threads", () => {
    const d = cluster({ rootQueueMs: 2 }, 4);
    const tasks = roots("r", 3000, "fast");
    d.submit({ tasks, outputs: tasks.map((t) => t.key) });
    finishAfter(d, "r-0", 0.02);
    expect(processing(d)).toBe(4 + 100 * 4);
  });

  it("keeps rootSlack for groups that run as long as rootQueueMs or longer", () => {
    const d = cluster({ rootQueueMs: 2 }, 1);
    const tasks = roots("r", 50, "slow");
    d.submit({ tasks, outputs: tasks.map((t) => t.key) });
    finishAfter(d, "r-0", 5);
    finishAfter(d, "r-1", 2);
    expect(processing(d)).toBe(2);
  });

  it("does not give another group the depth of the fast one before its own run time is known", () => {
    const d = cluster({ rootQueueMs: 2 }, 1);
    const fast = roots("f", 2, "fast");
    d.submit({ tasks: fast, outputs: fast.map((t) => t.key) }, "j1");
    finishAfter(d, "f-0", 0);
    finishAfter(d, "f-1", 0);
    expect(d.state.workers()[0]?.processing.length).toBe(0);
    const slow = roots("s", 100, "slow");
    d.submit({ tasks: slow, outputs: slow.map((t) => t.key) }, "j2");
    expect(processing(d)).toBe(2);
    finishAfter(d, "s-0", 10);
    expect(processing(d)).toBe(2);
  });

  it("rootQueueMs 0 keeps the count rule alone", () => {
    const d = cluster({ rootQueueMs: 0 }, 1);
    const tasks = roots("r", 100, "fast");
    d.submit({ tasks, outputs: tasks.map((t) => t.key) });
    finishAfter(d, "r-0", 0);
    expect(processing(d)).toBe(2);
  });
});
