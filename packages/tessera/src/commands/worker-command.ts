// `tessera worker <scheduler-url>`: a worker process with a thread pool and a peer listener; SIGTERM drains.
import { availableParallelism, hostname, totalmem } from "node:os";
import { isLogLevel, makeLogger } from "@tessera/protocol";
import { WsWorker } from "@tessera/worker";
import { parseBytes } from "../local-cluster.js";
import { intFlag, parseFlags } from "./flags.js";
import { SECURITY_FLAGS, SECURITY_SWITCHES, SECURITY_USAGE, logSecurity, securityOptions } from "./security-flags.js";

export const WORKER_USAGE = `tessera worker <scheduler-url> [--threads N] [--memory-limit 4GB] [--spill-dir DIR] [--name NAME] [--host 127.0.0.1] [--advertise-host H] ${SECURITY_USAGE} [--log-level info] [--op-module URL]...`;

/** Runs until SIGTERM/SIGINT (exit 0) or until the scheduler is lost (exit 1). */
export async function workerCommand(args: readonly string[]): Promise<number> {
  const p = parseFlags(args, ["threads", "memory-limit", "spill-dir", "name", "host", "advertise-host", "log-level", "op-module", ...SECURITY_FLAGS], SECURITY_SWITCHES);
  const url = p.positionals[0] ?? process.env["TESSERA_SCHEDULER"];
  if (url === undefined) throw new Error(`a scheduler URL is needed: ${WORKER_USAGE}`);
  const level = p.flags.get("log-level") ?? "info";
  if (!isLogLevel(level)) throw new Error(`--log-level must be debug, info, warn or error, got "${level}"`);
  const name = p.flags.get("name");
  const log = makeLogger(name !== undefined ? `worker ${name}` : "worker", level);
  const sec = securityOptions(p);
  const memory = p.flags.get("memory-limit");
  const host = p.flags.get("host") ?? "127.0.0.1";
  let lost: (reason: string) => void = () => {};
  const schedulerLost = new Promise<string>((resolve) => { lost = resolve; });
  const worker = await WsWorker.start({
    scheduler: url,
    threads: intFlag(p, "threads", Math.max(1, availableParallelism() - 1)),
    memoryLimit: memory !== undefined ? parseBytes(memory) : totalmem(),
    token: sec.token,
    tls: sec.tls,
    insecure: sec.insecure,
    storageScope: sec.storageScope,
    host,
    // Peers must dial a name that reaches this machine: with --host 0.0.0.0 (containers), its host name by default.
    advertiseHost: p.flags.get("advertise-host") ?? (host === "0.0.0.0" ? hostname() : host),
    ...(name !== undefined ? { name } : {}),
    ...(p.flags.has("spill-dir") ? { spillDir: p.flags.get("spill-dir") as string } : {}),
    // Extra ops (tests, benchmarks) only when the operator names a module; a plain worker offers production ops only.
    ...(p.lists.has("op-module") ? { opModules: p.lists.get("op-module") as string[] } : {}),
    log,
    onSchedulerLost: (reason) => lost(reason),
  });
  process.stdout.write(`tessera worker ${worker.workerId} serving peers at ${worker.address}\n`);
  logSecurity(log, sec);
  return new Promise<number>((resolve) => {
    const stop = (signal: string): void => {
      log.info(`${signal}: draining`);
      worker.drain().then(() => { log.info("stopped"); resolve(0); }, (e: unknown) => { log.error(String(e)); resolve(1); });
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
    void schedulerLost.then(async () => { await worker.close().catch(() => undefined); resolve(1); });
  });
}
