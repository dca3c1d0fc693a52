// `tessera scheduler`: the WebSocket scheduler; prints its URL, logs joins, losses and jobs; SIGTERM drains.
import { isLogLevel, makeLogger } from "@tessera/protocol";
import { DashboardServer, SchedulerJournal, SchedulerWsServer } from "@tessera/scheduler";
import { OpRegistry, makeGraphAdmission } from "@tessera/worker";
import { intFlag, parseFlags } from "./flags.js";
import { SECURITY_FLAGS, SECURITY_SWITCHES, SECURITY_USAGE, logSecurity, securityOptions } from "./security-flags.js";

export const SCHEDULER_USAGE = `tessera scheduler [--host 127.0.0.1] [--port 8786] [--dashboard-port 8787] [--journal DIR [--client-grace SECONDS]] ${SECURITY_USAGE} [--log-level info] [--max-message-bytes N] [--op-module URL]... [--outputs URL]`;

/** Runs until SIGTERM or SIGINT; resolves with the exit code. */
export async function schedulerCommand(args: readonly string[]): Promise<number> {
  const p = parseFlags(args, ["host", "port", "dashboard-port", "log-level", "max-message-bytes", "journal", "client-grace", "op-module", "outputs", ...SECURITY_FLAGS], SECURITY_SWITCHES);
  const level = p.flags.get("log-level") ?? "info";
  if (!isLogLevel(level)) throw new Error(`--log-level must be debug, info, warn or error, got "${level}"`);
  const log = makeLogger("scheduler", level);
  const sec = securityOptions(p);
  const host = p.flags.get("host") ?? "127.0.0.1";
  // With a journal, what the scheduler must not forget survives it: a restart on the same directory resumes the jobs.
  const journalDir = p.flags.get("journal");
  const journal = journalDir === undefined ? undefined : SchedulerJournal.open({ dir: journalDir, log });
  // The ops graphs may name: the production ops, plus those of op modules the operator gives the workers too (tests, benchmarks).
  const ops = await OpRegistry.load(p.lists.get("op-module") ?? []);
  const server = await SchedulerWsServer.start({
    ...(journal !== undefined ? { journal } : {}),
    clientGraceMs: intFlag(p, "client-grace", 120) * 1000,
    host,
    port: intFlag(p, "port", 8786),
    token: sec.token,
    maxMessageBytes: intFlag(p, "max-message-bytes", 512 * 1024 * 1024),
    tls: sec.tls,
    insecure: sec.insecure,
    // Graphs are checked on arrival: ops and their args, the storage they declare against the scope, mapBatches references.
    admission: makeGraphAdmission({ storageScope: sec.storageScope, ops }),
    log,
  });
  let dashboard: DashboardServer;
  try {
    dashboard = await DashboardServer.start({
      source: server.server, port: intFlag(p, "dashboard-port", 8787), host, token: sec.token, tls: sec.tls, insecure: sec.insecure, log,
      // The map page lists and draws the runs under this root (read-only, behind the same token).
      outputs: p.flags.get("outputs") ?? null,
    });
  } catch (e) {
    await server.close();
    throw e;
  }
  // Tests and LocalCluster read these two lines (--port 0 and --dashboard-port 0 pick free ports); the dashboard's comes first.
  process.stdout.write(`tessera dashboard at ${dashboard.url}\n`);
  process.stdout.write(`tessera scheduler listening on ${server.url}\n`);
  logSecurity(log, sec);
  if (journalDir !== undefined) log.info(`journal in ${journalDir}${server.server.restart !== null ? " (resumed)" : ""}`);
  return new Promise<number>((resolve) => {
    const stop = (signal: string): void => {
      log.info(`${signal}: draining (${server.runningJobs} jobs running)`);
      server.drain().then(() => dashboard.close()).then(() => { log.info("stopped"); resolve(0); }, (e: unknown) => { log.error(String(e)); resolve(1); });
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  });
}
