// @tessera/protocol: every wire message and its check, frames, the strict msgpack decoder, the handshake, Arrow IPC
// values, connections, and the priority heap, story log and transition lookup both state machines use.
export type {
  TaskLabel, Priority, RunSpec, DepLocation, OutputLocation, HeldKey, PlanSummary, PlanStage, StageProgress,
  GraphSubmitted, ReleaseKeys, Resubscribe, RetireWorker, ClientConnected, ClientDisconnected, WorkerAdded, WorkerRemoved,
  SchedulerRestarted, TaskFinished, TaskErred, MissingData, WorkerHeartbeat, WorkerRetiring, AddKeys, ComputeTask, FreeKeys,
  AcquireReplicas, CloseWorker, Rejoin, StealRequest, StealResponse, WorkerKeyState, Tick, JobProgress, JobDone, JobErred,
  JobUnknown, WorkerRetired,
  ClientToScheduler, WorkerToScheduler, ConnectionEvent, ToScheduler, SchedulerStimulus,
  SchedulerToWorker, SchedulerToClient, SchedulerMessage,
} from "./messages.js";
export { CLIENT_TO_SCHEDULER, WORKER_TO_SCHEDULER, SCHEDULER_TO_WORKER, SCHEDULER_TO_CLIENT } from "./message-schemas.js";
export { describeTask, errorWithTaskContext } from "./describe.js";
export { PriorityHeap, comparePriority } from "./heap.js";
export { StoryLog } from "./story-log.js";
export { TransitionLookup } from "./transition-lookup.js";
export { Members } from "./members.js";
export type { ReadonlyMembers } from "./members.js";
export type { StoryEntry } from "./story-log.js";
export { decodeStrict } from "./decode.js";
export type { DecodeLimits } from "./decode.js";
export { encodePlain } from "./encode.js";
export { FRAME_CONTROL, FRAME_DATA, MAX_DATA_HEADER_BYTES, encodeControl, encodeData, decodeFrame } from "./frames.js";
export type { Frame } from "./frames.js";
export { FRAME_BATCH, MAX_BATCH_MESSAGES, BatchingSender, encodeBatch, decodeBatchBody } from "./batch.js";
export type { BatchingSenderOptions } from "./batch.js";
export { str, int, num, bool, literal, nullable, plain, list, record, obj, optional, checkMessage, MAX_STRING, MAX_LIST } from "./schema.js";
export type { Check, OpTable, Field, Fields } from "./schema.js";
export { encodeValue, decodeValues, checkEncodedValue, ipcStreamChunks } from "./values.js";
export type { EncodedValue } from "./values.js";
export {
  PROTOCOL_VERSION, CLOSE_AUTH, CLOSE_PROTOCOL, CLOSE_SHUTDOWN, HELLO_OPS, WELCOME_OPS, PEERS_CHECK, GATHER_OPS, GATHER_REPLY_OPS,
  checkHello, checkErrorInfo,
} from "./handshake.js";
export type { Role, Hello, Welcome, Refused, Peers, Gather, GatherReply } from "./handshake.js";
export { makeLogger, silentLogger, isLogLevel } from "./log.js";
export type { Logger, LogLevel } from "./log.js";
export { Connection, dial } from "./connection.js";
export type { FrameHandler, DialOptions } from "./connection.js";
export { acceptHandshake } from "./accept.js";
export type { AcceptOptions } from "./accept.js";
export { PeerPool } from "./peer-pool.js";
export type { Gathered, PeerPoolOptions } from "./peer-pool.js";
export { TLS_CA_ENV, TLS_SERVERNAME_ENV, loadServerTls, clientTlsFromEnv, createListener } from "./tls.js";
export type { ServerTls, ClientTls } from "./tls.js";
export { isLoopbackHost, checkListener, checkTokenTransport } from "./listen-policy.js";
export type { ListenerPolicy } from "./listen-policy.js";
export { Backoff } from "./backoff.js";
export type { BackoffOptions } from "./backoff.js";
