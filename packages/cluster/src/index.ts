// @tessera/cluster: the in-process cluster (scheduler and workers in this process) and the default client.
export { InProcessCluster } from "./in-process-cluster.js";
export type { InProcessClusterOptions } from "./in-process-cluster.js";
export { InProcessHub } from "./in-process-hub.js";
export { defaultClient, makeDefaultClient, closeDefaultClient } from "./default-client.js";
