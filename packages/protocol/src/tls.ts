// TLS for Tessera's listeners and dialers: certificate files for servers, the cluster's CA for clients.
import { readFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { IoError } from "@tessera/common";

/** Path of a PEM file with the CA (or CAs) that signed the cluster's certificates, for self-signed clusters. */
export const TLS_CA_ENV = "TESSERA_TLS_CA";
/**
 * The name every cluster member's certificate carries, checked instead of the dialed host: one certificate can then
 * serve a scheduler and workers whose host names are not known in advance (containers), as Dask's cluster TLS does.
 */
export const TLS_SERVERNAME_ENV = "TESSERA_TLS_SERVERNAME";

/** A server's certificate chain and private key (PEM). */
export interface ServerTls {
  readonly cert: Buffer;
  readonly key: Buffer;
}

/** What a dialer trusts: extra CA certificates (beside the system's) and the name to verify instead of the host. */
export interface ClientTls {
  readonly ca?: string | Buffer;
  readonly servername?: string;
}

function readPem(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new IoError("TLS_FILE", `cannot read the TLS ${what} ${path}: ${(e as Error).message}`, { path });
  }
}

/** Reads --tls-cert and --tls-key; throws IoError TLS_FILE naming a file that cannot be read, TLS_CONFIG for half a pair. */
export function loadServerTls(certPath: string | undefined, keyPath: string | undefined): ServerTls | null {
  if (certPath === undefined && keyPath === undefined) return null;
  if (certPath === undefined || keyPath === undefined) {
    throw new IoError("TLS_CONFIG", "TLS needs both a certificate (--tls-cert) and its private key (--tls-key)");
  }
  return { cert: readPem(certPath, "certificate"), key: readPem(keyPath, "private key") };
}

const caCache = new Map<string, Buffer>();

/** The client side from the environment: TESSERA_TLS_CA (read once per path) and TESSERA_TLS_SERVERNAME. */
export function clientTlsFromEnv(env: NodeJS.ProcessEnv = process.env): ClientTls {
  const caPath = env[TLS_CA_ENV];
  const servername = env[TLS_SERVERNAME_ENV];
  let ca: Buffer | undefined;
  if (caPath !== undefined && caPath !== "") {
    ca = caCache.get(caPath) ?? readPem(caPath, "CA certificate");
    caCache.set(caPath, ca);
  }
  return { ...(ca !== undefined ? { ca } : {}), ...(servername !== undefined && servername !== "" ? { servername } : {}) };
}

/** An HTTP server, or an HTTPS one when `tls` is given (WebSocket servers ride on either). */
export function createListener(tls: ServerTls | null | undefined, handler: (req: IncomingMessage, res: ServerResponse) => void): Server {
  if (tls === null || tls === undefined) return createHttpServer(handler);
  // https.Server extends tls.Server, not http.Server, but serves the same request/upgrade events.
  return createHttpsServer({ cert: tls.cert, key: tls.key, minVersion: "TLSv1.2" }, handler) as unknown as Server;
}
