// The connection handshake and the protocol's own messages (peers, gathers), with their checks.
import { createHash, timingSafeEqual } from "node:crypto";
import type { ErrorInfo } from "@tessera/common";
import { ProtocolError } from "@tessera/common";
import { checkEncodedValue } from "./values.js";
import type { EncodedValue } from "./values.js";
import { int, list, literal, nullable, num, obj, optional, plain, record, str } from "./schema.js";
import type { OpTable } from "./schema.js";

/** Bumped on any incompatible change of frames or messages; peers with another version are refused. */
export const PROTOCOL_VERSION = 2;

/** Close codes: 4401 refused credentials, 4400 any other protocol violation, 4000 a normal shutdown. */
export const CLOSE_AUTH = 4401;
export const CLOSE_PROTOCOL = 4400;
export const CLOSE_SHUTDOWN = 4000;

export type Role = "worker" | "client" | "peer";

/** The first message on every connection, from the side that connected. */
export interface Hello {
  readonly op: "hello";
  readonly protocol: number;
  readonly token: string | null;
  readonly role: Role;
  /**
   * Workers: the id they want (unique among live workers), threads, memory limit and their peer address.
   * Clients: the id they had, when reconnecting (kept if the scheduler still has that client's jobs).
   */
  readonly name?: string;
  readonly nthreads?: number;
  readonly memoryLimit?: number;
  readonly address?: string;
  /** Workers rejoining a scheduler: the results they hold. */
  readonly held?: readonly { readonly key: string; readonly nbytes: number }[];
}

/** The accepting side's answer: the connection's id (a worker's id, a client's id). */
export interface Welcome { readonly op: "welcome"; readonly protocol: number; readonly id: string }
/** Sent just before closing a connection that broke the protocol or failed authentication. */
export interface Refused { readonly op: "refused"; readonly error: ErrorInfo }
/** Scheduler → workers and clients: where each live worker serves gathers (ws:// URLs by worker id). */
export interface Peers { readonly op: "peers"; readonly addresses: Readonly<Record<string, string>> }
/** Peer or client → worker: send me these results. */
export interface Gather { readonly op: "gather"; readonly id: number; readonly keys: readonly string[] }
/** Worker → peer, the header of a data frame: the values held (parts in the body) and the keys not held. */
export interface GatherReply {
  readonly op: "gather-reply";
  readonly id: number;
  readonly values: readonly EncodedValue[];
  readonly missing: readonly string[];
}

const errorInfo = obj({
  name: str(200), code: str(200), category: literal("plan", "execution", "io", "protocol", "internal"),
  message: str(), details: optional(plain),
});

export const HELLO_OPS: OpTable = {
  hello: obj({
    op: str(), protocol: int(), token: nullable(str(4096)), role: literal("worker", "client", "peer"),
    name: optional(str(200)), nthreads: optional(int(1, 4096)), memoryLimit: optional(num), address: optional(str(2048)),
    held: optional(list(obj({ key: str(4096), nbytes: num }))),
  }),
};
export const WELCOME_OPS: OpTable = {
  welcome: obj({ op: str(), protocol: int(), id: str(200) }),
  refused: obj({ op: str(), error: errorInfo }),
};
export const PEERS_CHECK = obj({ op: str(), addresses: record(str(2048)) });
export const GATHER_OPS: OpTable = { gather: obj({ op: str(), id: int(), keys: list(str()) }) };
export const GATHER_REPLY_OPS: OpTable = {
  "gather-reply": obj({ op: str(), id: int(), values: list(checkEncodedValue), missing: list(str()) }),
};
export { errorInfo as checkErrorInfo };

function digest(s: string): Buffer {
  return createHash("sha256").update(s).digest();
}

/**
 * Checks a hello against this process's version and token (constant-time comparison). Throws ProtocolError
 * PROTOCOL_VERSION or PROTOCOL_AUTH. With no token configured, any token is accepted.
 */
export function checkHello(hello: Hello, token: string | null): void {
  if (hello.protocol !== PROTOCOL_VERSION) {
    throw new ProtocolError("PROTOCOL_VERSION", `protocol version ${hello.protocol} is not supported (this side speaks ${PROTOCOL_VERSION})`);
  }
  if (token === null || token === "") return;
  if (hello.token === null || !timingSafeEqual(digest(hello.token), digest(token))) {
    throw new ProtocolError("PROTOCOL_AUTH", "the connection did not present the cluster's token (TESSERA_TOKEN)");
  }
}
