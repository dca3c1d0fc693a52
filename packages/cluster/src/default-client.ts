// The client a terminal uses when given none: the scheduler named by TESSERA_SCHEDULER, else an embedded cluster.
import type { Client } from "@tessera/client";
import { connect } from "@tessera/client";
import { InProcessCluster } from "./in-process-cluster.js";

let started: Promise<Client> | null = null;

/** Makes the default client: `connect()` when TESSERA_SCHEDULER is set (with TESSERA_TOKEN), else an in-process cluster. */
export async function makeDefaultClient(env: NodeJS.ProcessEnv = process.env): Promise<Client> {
  const url = env["TESSERA_SCHEDULER"];
  if (url !== undefined && url !== "") return connect(url, { token: env["TESSERA_TOKEN"] ?? null });
  return InProcessCluster.start();
}

/**
 * The process's default client, made by makeDefaultClient() on the first call and shared after that; it is closed
 * when the process is about to exit (its threads and sockets never keep the process alive by themselves).
 */
export function defaultClient(): Promise<Client> {
  if (started === null) {
    started = makeDefaultClient();
    process.once("beforeExit", () => { void closeDefaultClient(); });
  }
  return started;
}

/** Closes the default client if one was started (tests, CLI exit); the next defaultClient() makes a new one. */
export async function closeDefaultClient(): Promise<void> {
  const c = started;
  started = null;
  if (c) await (await c).close();
}
