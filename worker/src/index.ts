// @tessera/worker: the worker state machine and shell, the op pool and table, the data store, the WebSocket worker.
export { WorkerState } from "./state/worker-state.js";
export type { WorkerStateOptions } from "./state/worker-core.js";
export { MAX_RUN_AHEAD_PER_THREAD } from "./state/worker-core.js";
export type { WorkerTaskStateName } from "./state/worker-task.js";
export { WORKER_TRANSITION_NAMES } from "./state/transitions.js";
export type {
  ExecuteSuccess, ExecuteFailure, GatherDepSuccess, GatherDepFailure, MemoryState, SchedulerLost, WorkerEvent, WorkerStimulus,
  ExecuteInstruction, GatherDepInstruction, FreeDataInstruction, SendInstruction, WorkerInstruction,
} from "./state/stimuli.js";
export { WorkerShell } from "./shell/worker-shell.js";
export type { WorkerShellOptions, WorkerLink, GatherReply } from "./shell/worker-shell.js";
export { MemoryStore } from "./store.js";
export { ProcessMemoryGuard } from "./memory/process-memory.js";
export type { ProcessMemoryOptions } from "./memory/process-memory.js";
export { exposeGc } from "./memory/garbage.js";
export type { DataStore } from "./store.js";
export { SpillingStore } from "./spill/spilling-store.js";
export type { SpillingStoreOptions } from "./spill/spilling-store.js";
export { encodeSpill, decodeSpill } from "./spill/spill-codec.js";
export { sizeOf } from "./size-of.js";
export type { OpRunner, RunOutcome, RunRequest } from "./pool/op-runner.js";
export { InlineRunner } from "./pool/inline-runner.js";
export type { InlineRunnerOptions } from "./pool/inline-runner.js";
export { ThreadPool } from "./pool/thread-pool.js";
export { THREAD_OLD_SPACE_MB, threadHeapFlag } from "./pool/thread-heap.js";
export { RunQueue, SHORT_RUN_MS, BATCH_BUDGET_MS, MAX_BATCH_RUNS } from "./pool/run-queue.js";
export type { ThreadPoolOptions } from "./pool/thread-pool.js";
export { prepareTransfer } from "./pool/transfer.js";
export { shareLarge, SHARE_MIN_BYTES } from "./pool/share.js";
export { PRODUCTION_OPS, OpRegistry, bindProductionOps } from "./ops/op-table.js";
export { bindOp, bindOps } from "./ops/op-descriptor.js";
export type { OpHandler, OpDescriptor, OpHandlers, BoundOp, BoundOps } from "./ops/op-descriptor.js";
export { DATAFRAME_HANDLERS } from "./ops/dataframe-ops.js";
export { SINK_HANDLERS } from "./ops/sink-ops.js";
export { RASTER_HANDLERS } from "./ops/raster-ops.js";
export { RASTER_SINK_HANDLERS } from "./ops/raster-sink-ops.js";
export { OBJECT_SINK_HANDLERS } from "./ops/object-sink-ops.js";
export { WsWorker } from "./ws/ws-worker.js";
export type { WsWorkerOptions } from "./ws/ws-worker.js";
export { PeerServer } from "./ws/peer-server.js";
export type { PeerServerOptions } from "./ws/peer-server.js";
export { makeGraphAdmission } from "./ops/graph-admission.js";
export { checkStorage, runInScope } from "./ops/storage-check.js";
export type { GraphAdmissionOptions } from "./ops/graph-admission.js";
export { resolveUserFunction, functionRefsOf, functionsDirs, FUNCTIONS_DIR_ENV } from "./ops/user-functions.js";
export type { ResolvedFunction } from "./ops/user-functions.js";
