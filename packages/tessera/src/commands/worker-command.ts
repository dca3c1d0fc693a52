// `tessera worker <scheduler-url>`: a worker process (reconnecting if it loses the scheduler; SIGTERM drains it), or `--drain NAME`.
import { availableParallelism, hostname, totalmem } from "node:os";
import { connect } from "@tessera/client";
import { isLogLevel, makeLogger } from "@tessera/protocol";
import { WsWorker } from "@tessera/worker";
import { parseBytes } from "../local-cluster.js";
import { intFlag, parseFlags } from "./flags.js";
import { SECURITY_FLAGS, SECURITY_SWITCHES, SECURITY_USAGE, logSecurity, securityOptions } from "./security-flags.js";

export const WORKER_USAGE = `tessera worker <scheduler-url> [--threads N] [--memory-limit 4GB] [--spill-dir DIR] [--name NAME] [--host 127.0.0.1] [--advertise-host H] [--reconnect-timeout SECONDS] ${SECURITY_USAGE} [--log-level info] [--op-module URL]...
  tessera worker --drain NAME [<scheduler-url>]   move worker NAME's results to its peers, then close it`;

/** Runs until SIGTERM/SIGINT or a drain (exit 0) or until the scheduler stays lost (exit 1). */
export async function workerCommand(args: readonly string[]): Promise<number> {
  const p = parseFlags(args, [
    "threads", "memory-limit", "spill-dir", "name", "host", "advertise-host", "log-level", "op-module", "reconnect-timeout", "drain", ...SECURITY_FLAGS,
  ], SECURITY_SWITCHES);
  const url = p.positionals[0] ?? process.env["TESSERA_SCHEDULER"];
  if (url === undefined) throw new Error(`a scheduler URL is needed: ${WORKER_USAGE}`);
  const level = p.flags.get("log-level") ?? "info";
  if (!isLogLevel(level)) throw new Error(`--log-level must be debug, info, warn or error, got "${level}"`);
  const drain = p.flags.get("drain");
  if (drain !== undefined) return drainWorker(url, drain);
  const name = p.flags.get("name");
  const log = makeLogger(name !== undefined ? `worker ${name}` : "worker", level);
  const sec = securityOptions(p);
  const memory = p.flags.get("memory-limit");
  const host = p.flags.get("host") ?? "127.0.0.1";
  let stopped: (code: number) => void = () => {};
  const stop = new Promise<number>((resolve) => { stopped = resolve; });
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
    reconnectMs: intFlag(p, "reconnect-timeout", 300) * 1000,
    log,
    onSchedulerLost: () => stopped(1),
    onClosedByScheduler: () => stopped(0),
  });
  process.stdout.write(`tessera worker ${worker.workerId} serving peers at ${worker.address}\n`);
  logSecurity(log, sec);
  const onSignal = (signal: string): void => {
    log.info(`${signal}: draining (results move to peers)`);
    worker.drain().then(() => { log.info("stopped"); stopped(0); }, (e: unknown) => { log.error(String(e)); stopped(1); });
  };
  process.once("SIGTERM", () => onSignal("SIGTERM"));
  process.once("SIGINT", () => onSignal("SIGINT"));
  const code = await stop;
  await worker.close().catch(() => undefined);
  return code;
}

/** `--drain NAME`: asks the scheduler to drain that worker and waits until it closed. */
async function drainWorker(url: string, workerId: string): Promise<number> {
  const client = await connect(url);
  try {
    const t0 = performance.now();
    const r = await client.retireWorker(workerId);
    process.stdout.write(`worker ${workerId} drained in ${((performance.now() - t0) / 1000).toFixed(2)} s: ${r.keys} results (${r.nbytes} bytes) moved to peers\n`);
    return 0;
  } finally {
    await client.close();
  }
}
