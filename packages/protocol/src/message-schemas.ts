// Checks for every scheduler message on the wire, one table per direction, keyed by op (field lists must match messages.ts).
import type { TaskGraph, TaskSpec } from "@tessera/graph";
import { PEERS_CHECK, checkErrorInfo } from "./handshake.js";
import { bool, int, list, literal, nullable, num, obj, optional, plain, str } from "./schema.js";
import type { Check } from "./schema.js";
import type {
  ClientToScheduler, DepLocation, HeldKey, OutputLocation, PlanStage, PlanSummary, RunSpec, SchedulerToClient, SchedulerToWorker,
  StageProgress, TaskLabel, WorkerToScheduler,
} from "./messages.js";

type Msg<U, K> = Extract<U, { op: K }>;
/** A table with exactly one check per op of the union U: a new message type fails to compile until checked here. */
type TableOf<U extends { op: string }> = { readonly [K in U["op"]]: Check };

const id = str(512);
const key = str(4096);
const count = int(0);
const label = obj<TaskLabel>({ name: str(512), partition: optional(int(0)) });
const taskSpec = obj<TaskSpec>({ key, op: str(512), args: plain, deps: list(key), priority: optional(num), label: optional(label), nbytesHint: optional(num) });
const graph = obj<TaskGraph>({ tasks: list(taskSpec), outputs: list(key) });
const runSpec = obj<RunSpec>({ op: str(512), args: plain, label: optional(label) });
const depLocation = obj<DepLocation>({ key, whoHas: list(id), nbytes: num });
const outputLocation = obj<OutputLocation>({ key, workerIds: list(id), nbytes: num });
const op = str(64);
/** A result a worker holds (hello of a rejoining worker, add-keys). */
export const heldKey = obj<HeldKey>({ key, nbytes: num });
const planStage = obj<PlanStage>({ name: str(512), title: str(4096), inputs: list(str(512), 10_000) });
const planSummary = obj<PlanSummary>({ explain: str(1024 * 1024), stages: list(planStage, 10_000) });
const stageProgress = obj<StageProgress>({ name: str(512), done: count, total: count, nbytes: num });

export const CLIENT_TO_SCHEDULER: TableOf<ClientToScheduler> = {
  "graph-submitted": obj<Msg<ClientToScheduler, "graph-submitted">>({ op, stimulusId: id, clientId: id, jobId: id, graph, plan: optional(planSummary) }),
  "release-keys": obj<Msg<ClientToScheduler, "release-keys">>({ op, stimulusId: id, clientId: id, jobId: optional(id), keys: optional(list(key)) }),
  resubscribe: obj<Msg<ClientToScheduler, "resubscribe">>({ op, stimulusId: id, clientId: id, jobIds: list(id) }),
  "retire-worker": obj<Msg<ClientToScheduler, "retire-worker">>({ op, stimulusId: id, clientId: id, workerId: id }),
};

export const WORKER_TO_SCHEDULER: TableOf<WorkerToScheduler> = {
  "task-finished": obj<Msg<WorkerToScheduler, "task-finished">>({
    op, stimulusId: id, workerId: id, key, runId: count, nbytes: num, startedAt: optional(num), finishedAt: optional(num), thread: optional(count),
  }),
  "task-erred": obj<Msg<WorkerToScheduler, "task-erred">>({ op, stimulusId: id, workerId: id, key, runId: count, error: checkErrorInfo }),
  "missing-data": obj<Msg<WorkerToScheduler, "missing-data">>({ op, stimulusId: id, workerId: id, key, runId: count, dep: key, holders: list(id) }),
  "worker-heartbeat": obj<Msg<WorkerToScheduler, "worker-heartbeat">>({
    op, stimulusId: id, workerId: id, memory: num, executing: count, ready: count, spilled: optional(num), fetched: optional(num), paused: optional(bool),
  }),
  "steal-response": obj<Msg<WorkerToScheduler, "steal-response">>({
    op, stimulusId: id, workerId: id, key, runId: count,
    state: literal("released", "fetch", "flight", "waiting", "ready", "executing", "cancelled", "memory", "forgotten"),
  }),
  "worker-retiring": obj<Msg<WorkerToScheduler, "worker-retiring">>({ op, stimulusId: id, workerId: id }),
  "add-keys": obj<Msg<WorkerToScheduler, "add-keys">>({ op, stimulusId: id, workerId: id, keys: list(heldKey), failed: list(key) }),
};

const peers = PEERS_CHECK;

/** Scheduler → worker, plus the protocol's `peers` (where each worker serves gathers). */
export const SCHEDULER_TO_WORKER: TableOf<SchedulerToWorker> & { readonly peers: Check } = {
  "compute-task": obj<Msg<SchedulerToWorker, "compute-task">>({
    op, stimulusId: id, workerId: id, key, runId: count, spec: runSpec, deps: list(depLocation), priority: list(num, 2),
  }),
  "free-keys": obj<Msg<SchedulerToWorker, "free-keys">>({ op, stimulusId: id, workerId: id, keys: list(key) }),
  "steal-request": obj<Msg<SchedulerToWorker, "steal-request">>({ op, stimulusId: id, workerId: id, key, runId: count }),
  "acquire-replicas": obj<Msg<SchedulerToWorker, "acquire-replicas">>({ op, stimulusId: id, workerId: id, keys: list(depLocation) }),
  "close-worker": obj<Msg<SchedulerToWorker, "close-worker">>({ op, stimulusId: id, workerId: id, reason: str() }),
  rejoin: obj<Msg<SchedulerToWorker, "rejoin">>({ op, stimulusId: id, workerId: id, reason: str() }),
  peers,
};

/** Scheduler → client, plus `peers`. */
export const SCHEDULER_TO_CLIENT: TableOf<SchedulerToClient> & { readonly peers: Check } = {
  "job-progress": obj<Msg<SchedulerToClient, "job-progress">>({
    op, stimulusId: id, clientId: id, jobId: id, done: count, total: count, stages: optional(list(stageProgress, 10_000)),
  }),
  "job-done": obj<Msg<SchedulerToClient, "job-done">>({ op, stimulusId: id, clientId: id, jobId: id, total: count, outputs: list(outputLocation) }),
  "job-erred": obj<Msg<SchedulerToClient, "job-erred">>({ op, stimulusId: id, clientId: id, jobId: id, key: nullable(key), error: checkErrorInfo }),
  "job-unknown": obj<Msg<SchedulerToClient, "job-unknown">>({ op, stimulusId: id, clientId: id, jobId: id }),
  "worker-retired": obj<Msg<SchedulerToClient, "worker-retired">>({
    op, stimulusId: id, clientId: id, workerId: id, keys: count, nbytes: num, error: optional(checkErrorInfo),
  }),
  peers,
};
