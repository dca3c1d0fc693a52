// Closed by default: servers listen on loopback; off it only with a token (or --insecure, said loudly), tokens only over TLS.
import { ProtocolError } from "@tessera/common";
import type { Logger } from "./log.js";

/** True for names that never leave this machine: localhost, 127.0.0.0/8, ::1 (brackets allowed). */
export function isLoopbackHost(host: string): boolean {
  const h = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  const lower = h.toLowerCase();
  return lower === "localhost" || lower.endsWith(".localhost") || /^127(?:\.\d{1,3}){3}$/.test(h) || lower === "::1" || lower === "0:0:0:0:0:0:0:1";
}

export interface ListenerPolicy {
  /** What listens, for messages: "the scheduler", "the dashboard", "the worker's peer listener". */
  readonly what: string;
  readonly host: string;
  readonly token: string | null | undefined;
  readonly tls: boolean;
  /** The operator accepts an open listener off loopback (--insecure). */
  readonly insecure?: boolean;
  readonly log?: Logger;
}

/**
 * Refuses (ProtocolError INSECURE_LISTENER) a listener off loopback without a token unless `insecure`, which is
 * logged as an error-level warning every start. Off loopback with a token but without TLS it warns: clients on
 * other machines will refuse to send the token in clear.
 */
export function checkListener(p: ListenerPolicy): void {
  if (isLoopbackHost(p.host)) return;
  const hasToken = p.token !== null && p.token !== undefined && p.token !== "";
  if (!hasToken) {
    if (p.insecure !== true) {
      throw new ProtocolError("INSECURE_LISTENER",
        `${p.what} would listen on ${p.host} (not loopback) without TESSERA_TOKEN: anyone who reaches it could run work. ` +
        "Set TESSERA_TOKEN (and --tls-cert/--tls-key), listen on 127.0.0.1, or pass --insecure to accept the risk.", { host: p.host });
    }
    p.log?.error(`INSECURE: ${p.what} listens on ${p.host} with no token: anyone who can reach it can submit work and read results (--insecure)`);
    return;
  }
  if (!p.tls) p.log?.warn(`${p.what} listens on ${p.host} without TLS: clients off this machine will refuse to send the token in clear (use --tls-cert/--tls-key)`);
}

/**
 * The dialer's side: a token goes only over TLS (wss://) or to a loopback address. Throws ProtocolError
 * PROTOCOL_TOKEN_NEEDS_TLS before anything is sent.
 */
export function checkTokenTransport(url: string, token: string | null | undefined): void {
  if (token === null || token === undefined || token === "") return;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ProtocolError("PROTOCOL_BAD_URL", `not a ws:// or wss:// URL: ${url}`, { url });
  }
  if (parsed.protocol === "wss:") return;
  if (parsed.protocol === "ws:" && isLoopbackHost(parsed.hostname)) return;
  throw new ProtocolError("PROTOCOL_TOKEN_NEEDS_TLS",
    `refusing to send the cluster token to ${url} in clear: off this machine a token travels only over TLS (use wss:// and a scheduler started with --tls-cert/--tls-key)`, { url });
}
