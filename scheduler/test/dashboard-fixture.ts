// A fixed cluster status for the dashboard tests (metrics formatting and the HTTP server).
import type { ClusterStatus } from "@tessera/scheduler";

export function sampleStatus(): ClusterStatus {
  return {
    time: 1_000_042_000,
    startedAt: 1_000_000_000,
    workers: [
      { id: "w1", nthreads: 2, memoryLimit: 1 << 30, memory: 2048, spilled: 512, fetchedBytes: 4096, heldBytes: 1500, heldResults: 3, processing: 2, executing: 1, paused: true, lastSeen: 1_000_041_000 },
      { id: 'odd"\\\nid', nthreads: 1, memoryLimit: 1 << 20, memory: null, spilled: null, fetchedBytes: 0, heldBytes: 64, heldResults: 1, processing: 0, executing: null, paused: false, lastSeen: 1_000_000_000 },
    ],
    jobs: [
      { clientId: "c1", jobId: "j2", state: "running", done: 5, total: 10, submittedAt: 1_000_040_000, finishedAt: null },
      { clientId: "c1", jobId: "j1", state: "done", done: 7, total: 7, submittedAt: 1_000_001_000, finishedAt: 1_000_002_000 },
    ],
    tasks: { released: 1, waiting: 2, queued: 3, processing: 4, memory: 5, erred: 0 },
    tasksFinishedTotal: 123,
    tasksErredTotal: 1,
    tasksRecomputedTotal: 0,
    jobCounts: { running: 1, done: 3, erred: 1, cancelled: 0 },
    taskStream: [{ key: "a-1", label: "a", worker: "w1", thread: 0, start: 1_000_041_000, end: 1_000_041_005 }],
  };
}
