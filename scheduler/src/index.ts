// @tessera/scheduler: the pure scheduler state machine, its wire messages, and the server shell around it.
export { SchedulerState } from "./state/scheduler-state.js";
export type { WorkerView } from "./state/scheduler-state.js";
export type { SchedulerOptions } from "./state/core.js";
export { TASK_STATES } from "./state/entities.js";
export type { TaskStateName } from "./state/entities.js";
export { SCHEDULER_TRANSITION_NAMES } from "./state/transitions.js";
export { describeTask, errorWithTaskContext } from "./state/describe.js";
export type {
  TaskLabel, Priority, RunSpec, DepLocation, OutputLocation,
  GraphSubmitted, ReleaseKeys, ClientConnected, ClientDisconnected, WorkerAdded, WorkerRemoved,
  TaskFinished, TaskErred, MissingData, WorkerHeartbeat, ComputeTask, FreeKeys,
  StealRequest, StealResponse, WorkerKeyState, Tick, JobProgress, JobDone, JobErred,
  ClientToScheduler, WorkerToScheduler, ConnectionEvent, ToScheduler, SchedulerStimulus,
  SchedulerToWorker, SchedulerToClient, SchedulerMessage,
} from "./state/messages.js";
export { SchedulerServer } from "./server.js";
export type { SchedulerLink, SchedulerServerOptions } from "./server.js";
export { StoryLog } from "./util/story-log.js";
export type { StoryEntry } from "./util/story-log.js";
export { PriorityHeap, comparePriority } from "./util/heap.js";
export { DashboardServer } from "./dashboard/dashboard-server.js";
export type { DashboardOptions } from "./dashboard/dashboard-server.js";
export { StatusRecorder, keyPrefix } from "./dashboard/status-recorder.js";
export type { StatusRecorderOptions } from "./dashboard/status-recorder.js";
export { formatPrometheus, escapeLabelValue, PROMETHEUS_CONTENT_TYPE } from "./dashboard/prometheus.js";
export { RingBuffer } from "./dashboard/ring-buffer.js";
export type {
  ClusterStatus, StatusSource, WorkerStatus, JobStatus, JobState, TaskStreamEntry, TaskCounts,
} from "./dashboard/status-types.js";
export { SchedulerWsServer } from "./ws/scheduler-ws-server.js";
export type { SchedulerWsOptions } from "./ws/scheduler-ws-server.js";
export { CLIENT_TO_SCHEDULER, WORKER_TO_SCHEDULER, SCHEDULER_TO_WORKER, SCHEDULER_TO_CLIENT } from "./ws/message-schemas.js";
export { admissionError } from "./intake/graph-admission.js";
export type { GraphAdmission } from "./intake/graph-admission.js";
