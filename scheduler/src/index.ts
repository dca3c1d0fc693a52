// @tessera/scheduler: the pure scheduler state machine and the server shells around it (the wire is @tessera/protocol).
export { SchedulerState } from "./state/scheduler-state.js";
export type { WorkerView } from "./state/scheduler-state.js";
export type { SchedulerOptions } from "./state/core.js";
export type { Checkpoint, WorkerCheckpoint } from "./state/checkpoint.js";
export { MAX_ROOT_SLACK_PER_THREAD } from "./state/core.js";
export { TASK_STATES } from "./state/entities.js";
export type { TaskStateName } from "./state/entities.js";
export { SCHEDULER_TRANSITION_NAMES } from "./state/transitions.js";
export { SchedulerServer } from "./server.js";
export type { SchedulerLink, SchedulerServerOptions, RestartInfo } from "./server.js";
export { SchedulerJournal, readJournal, replayHistory } from "./journal/scheduler-journal.js";
export type { SchedulerJournalOptions, JournalHistory, Restored } from "./journal/scheduler-journal.js";
export { replayJournal, formatReplay } from "./journal/replay-report.js";
export type { ReplayReport } from "./journal/replay-report.js";
export { DashboardServer } from "./dashboard/dashboard-server.js";
export type { DashboardOptions } from "./dashboard/dashboard-server.js";
export { StatusRecorder, keyPrefix } from "./dashboard/status-recorder.js";
export { JobGraphs } from "./dashboard/job-graphs.js";
export type { StatusRecorderOptions } from "./dashboard/status-recorder.js";
export { formatPrometheus, escapeLabelValue, PROMETHEUS_CONTENT_TYPE } from "./dashboard/prometheus.js";
export { RingBuffer } from "./dashboard/ring-buffer.js";
export type {
  ClusterStatus, StatusSource, WorkerStatus, JobStatus, JobState, TaskStreamEntry, TaskCounts, JobGraphStatus, StageStatus, EdgeStatus,
} from "./dashboard/status-types.js";
export { SchedulerWsServer } from "./ws/scheduler-ws-server.js";
export type { SchedulerWsOptions } from "./ws/scheduler-ws-server.js";
export { admissionError } from "./intake/graph-admission.js";
export type { GraphAdmission } from "./intake/graph-admission.js";
