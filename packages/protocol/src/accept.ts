// The accepting side of the handshake: the first frame must be a valid hello with the right version and token.
import { ProtocolError } from "@tessera/common";
import type { Connection } from "./connection.js";
import { HELLO_OPS, PROTOCOL_VERSION, checkHello } from "./handshake.js";
import type { Hello, Welcome } from "./handshake.js";
import { checkMessage } from "./schema.js";

export interface AcceptOptions {
  readonly token: string | null;
  /** Roles this listener serves; others are refused. */
  readonly roles: readonly Hello["role"][];
  /** A connection that sends no hello within this time is closed. */
  readonly timeoutMs?: number;
  /** Called with a checked hello; returns the connection's id (sent in the welcome) or throws to refuse. */
  readonly onHello: (hello: Hello) => string;
  /** Called after the welcome was sent: only now may the accepting side send anything else. */
  readonly onWelcomed?: (hello: Hello, id: string) => void;
}

/** Installs the handshake handler on a fresh connection. */
export function acceptHandshake(conn: Connection, options: AcceptOptions): void {
  const timer = setTimeout(() => conn.fail(new ProtocolError("PROTOCOL_TIMEOUT", "no hello within the handshake timeout")), options.timeoutMs ?? 10_000);
  timer.unref();
  conn.onClose(() => clearTimeout(timer));
  conn.handler = {
    control: (raw) => {
      clearTimeout(timer);
      const hello = checkMessage<Hello>(raw, HELLO_OPS, conn.label);
      checkHello(hello, options.token);
      if (!options.roles.includes(hello.role)) throw new ProtocolError("PROTOCOL_UNEXPECTED", `this endpoint does not serve ${hello.role}s`);
      const id = options.onHello(hello);
      conn.sendNow({ op: "welcome", protocol: PROTOCOL_VERSION, id } satisfies Welcome);
      options.onWelcomed?.(hello, id);
    },
    data: () => { throw new ProtocolError("PROTOCOL_UNEXPECTED", "a data frame before the handshake"); },
  };
}
