// The security flags `tessera scheduler` and `tessera worker` share: token, TLS files, --insecure and the storage scope.
import { StorageScope } from "@tessera/io";
import { loadServerTls } from "@tessera/protocol";
import type { Logger, ServerTls } from "@tessera/protocol";
import type { Parsed } from "./flags.js";

/** Flags taking a value (--storage-scope may repeat) and the one switch. */
export const SECURITY_FLAGS: readonly string[] = ["tls-cert", "tls-key", "storage-scope"];
export const SECURITY_SWITCHES: readonly string[] = ["insecure"];
export const SECURITY_USAGE = "[--tls-cert F --tls-key F] [--storage-scope URL]... [--insecure]";

export interface SecurityOptions {
  /** TESSERA_TOKEN, or null when unset or empty. */
  readonly token: string | null;
  readonly tls: ServerTls | null;
  /** --insecure: listening off loopback without a token is accepted (and logged as such). */
  readonly insecure: boolean;
  /** --storage-scope prefixes plus TESSERA_STORAGE_SCOPE. */
  readonly storageScope: StorageScope;
}

export function securityOptions(p: Parsed, env: NodeJS.ProcessEnv = process.env): SecurityOptions {
  const token = env["TESSERA_TOKEN"];
  return {
    token: token === undefined || token === "" ? null : token,
    tls: loadServerTls(p.flags.get("tls-cert"), p.flags.get("tls-key")),
    insecure: p.switches.has("insecure"),
    storageScope: StorageScope.fromEnv(p.lists.get("storage-scope") ?? [], env),
  };
}

/** One start-up line per setting, so an operator sees what is open. */
export function logSecurity(log: Logger, s: SecurityOptions): void {
  log.info(`token ${s.token !== null ? "required" : "not required"}; TLS ${s.tls !== null ? "on" : "off"}; storage scope: ${s.storageScope.toString()}`);
}
