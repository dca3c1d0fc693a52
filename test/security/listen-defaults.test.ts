// Attack: an open scheduler on every interface. `tessera scheduler` and `tessera worker` listen on 127.0.0.1 by
// default (checked in the kernel's socket table); off loopback without a token they refuse to start unless
// --insecure, which they log loudly.
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { connect } from "tessera";
import { killAll, tessera } from "../cluster/support/processes.js";

/** The IPv4 addresses listening on `port`, from /proc/net/tcp (state 0A): what the kernel says, no probing. */
function listeners(port: number): string[] {
  const out: string[] = [];
  for (const line of readFileSync("/proc/net/tcp", "utf8").split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    const local = f[1];
    if (local === undefined || f[3] !== "0A") continue;
    const [ipHex, portHex] = local.split(":") as [string, string];
    if (parseInt(portHex, 16) !== port) continue;
    out.push([3, 2, 1, 0].map((i) => parseInt(ipHex.slice(i * 2, i * 2 + 2), 16)).join("."));
  }
  return out;
}

const portOf = (url: string): number => Number(new URL(url).port);

afterAll(killAll);

describe("listening addresses", () => {
  it("the scheduler and its dashboard listen on 127.0.0.1 when no --host is given", async () => {
    const s = tessera(["scheduler", "--port", "0", "--dashboard-port", "0"]);
    const url = (await s.waitFor(/listening on (ws:\/\/\S+)/))[1] as string;
    const dash = (await s.waitFor(/dashboard at (http\S+)/))[1] as string;
    expect(listeners(portOf(url))).toEqual(["127.0.0.1"]);
    expect(listeners(portOf(dash))).toEqual(["127.0.0.1"]);
  });

  it("a worker's peer listener is on 127.0.0.1 too", async () => {
    const s = tessera(["scheduler", "--port", "0", "--dashboard-port", "0"]);
    const url = (await s.waitFor(/listening on (ws:\/\/\S+)/))[1] as string;
    const w = tessera(["worker", url, "--threads", "1", "--name", "lw1"]);
    const peer = (await w.waitFor(/serving peers at (ws:\/\/\S+)/))[1] as string;
    expect(listeners(portOf(peer))).toEqual(["127.0.0.1"]);
  });

  it("off loopback without TESSERA_TOKEN, the scheduler and the worker refuse to start", async () => {
    const s = tessera(["scheduler", "--host", "0.0.0.0", "--port", "0", "--dashboard-port", "0"], { TESSERA_TOKEN: "" });
    expect(await s.exited()).toBe(1);
    expect(s.output()).toMatch(/INSECURE_LISTENER: the scheduler would listen on 0\.0\.0\.0/);
    expect(s.output()).not.toMatch(/listening on/);

    const local = tessera(["scheduler", "--port", "0", "--dashboard-port", "0"], { TESSERA_TOKEN: "" });
    const url = (await local.waitFor(/listening on (ws:\/\/\S+)/))[1] as string;
    const w = tessera(["worker", url, "--threads", "1", "--name", "open-worker", "--host", "0.0.0.0"], { TESSERA_TOKEN: "" });
    expect(await w.exited()).toBe(1);
    expect(w.output()).toMatch(/INSECURE_LISTENER: the worker's peer listener would listen on 0\.0\.0\.0/);
    expect(local.output()).not.toMatch(/worker open-worker joined/);
  });

  it("--insecure lets it start on every interface, saying so at error level", async () => {
    const s = tessera(["scheduler", "--host", "0.0.0.0", "--port", "0", "--dashboard-port", "0", "--insecure"], { TESSERA_TOKEN: "" });
    const url = (await s.waitFor(/listening on (ws:\/\/\S+)/))[1] as string;
    expect(s.output()).toMatch(/ error scheduler: INSECURE: the scheduler listens on 0\.0\.0\.0 with no token/);
    expect(s.output()).toMatch(/ error scheduler: INSECURE: the dashboard listens on 0\.0\.0\.0 with no token/);
    expect(listeners(portOf(url))).toEqual(["0.0.0.0"]);
    const client = await connect(url, { token: null });
    await client.close();
  });

  it("with a token it may listen off loopback, and warns that remote clients need TLS for it", async () => {
    const s = tessera(["scheduler", "--host", "0.0.0.0", "--port", "0", "--dashboard-port", "0"], { TESSERA_TOKEN: "t0ken" });
    await s.waitFor(/listening on (ws:\/\/\S+)/);
    expect(s.output()).toMatch(/warn scheduler: the scheduler listens on 0\.0\.0\.0 without TLS/);
    await s.waitFor(/token required; TLS off; storage scope: unscoped/);
  });

  it("takes the storage scope from TESSERA_STORAGE_SCOPE and repeated --storage-scope flags, and refuses a bad prefix", async () => {
    const env = { TESSERA_STORAGE_SCOPE: "s3://bucket,/data" };
    const s = tessera(["scheduler", "--port", "0", "--dashboard-port", "0", "--storage-scope", "memory://m", "--storage-scope=/scratch"], env);
    await s.waitFor(/storage scope: s3:\/\/bucket, \/data, memory:\/\/m, \/scratch$/m);
    const bad = tessera(["scheduler", "--port", "0", "--dashboard-port", "0", "--storage-scope", "s3://"]);
    expect(await bad.exited()).toBe(1);
    expect(bad.output()).toMatch(/IO_BAD_SCOPE/);
  });
});
