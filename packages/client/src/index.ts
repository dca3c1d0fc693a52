// @tessera/client: the Client interface, the job tracker every client shares, and connect() to a running scheduler.
export type { Client, Progress, RunOptions } from "./client.js";
export { JobTracker } from "./job-tracker.js";
export type { FetchOutputs, JobTrackerOptions } from "./job-tracker.js";
export { connect, RemoteClient } from "./remote-client.js";
export type { ConnectOptions } from "./remote-client.js";
