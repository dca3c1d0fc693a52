// @tessera/client: connect(url, { token }) to a running scheduler; the RemoteClient runs graphs there.
export { connect, RemoteClient } from "./remote-client.js";
export type { ConnectOptions } from "./remote-client.js";
