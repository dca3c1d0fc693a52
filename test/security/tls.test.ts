// Attack: the token in clear on the network. With --tls-cert/--tls-key the scheduler, the workers' peer listeners and
// the dashboard speak TLS; clients trust the cluster's CA (TESSERA_TLS_CA) or refuse; a token never goes over plain
// ws:// to another machine.
import { readFileSync } from "node:fs";
import { get } from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, fromColumns } from "tessera";
import type { RemoteClient } from "tessera";
import { tableRows } from "../support/compare.js";
import { failure } from "../support/engine.js";
import { tempDir } from "../support/files.js";
import { killAll, tessera } from "../cluster/support/processes.js";
import type { Proc } from "../cluster/support/processes.js";
import { makeCert } from "./support/certs.js";
import type { Cert } from "./support/certs.js";

const TOKEN = "tls-test-token";
let cert: Cert;
let scheduler: Proc;
let url = "";
let dashboard = "";
let peer = "";
const clients: RemoteClient[] = [];

/** A GET over https trusting `ca` (or only the system's CAs): the status code, or the TLS error's message. */
function httpsGet(target: string, ca?: Buffer): Promise<{ status?: number; error?: string }> {
  return new Promise((resolve) => {
    const req = get(target, { ...(ca !== undefined ? { ca } : {}), timeout: 10_000 }, (res) => {
      res.resume();
      resolve({ ...(res.statusCode !== undefined ? { status: res.statusCode } : {}) });
    });
    req.on("error", (e) => resolve({ error: e.message }));
  });
}

beforeAll(async () => {
  delete process.env["TESSERA_TLS_CA"];
  delete process.env["TESSERA_TLS_SERVERNAME"];
  cert = makeCert(tempDir("tls"), "server", ["localhost", "127.0.0.1"]);
  scheduler = tessera(["scheduler", "--port", "0", "--dashboard-port", "0", "--tls-cert", cert.cert, "--tls-key", cert.key], { TESSERA_TOKEN: TOKEN });
  url = (await scheduler.waitFor(/listening on (wss:\/\/\S+)/))[1] as string;
  dashboard = (await scheduler.waitFor(/dashboard at (https:\/\/\S+)/))[1] as string;
  const worker = tessera(["worker", url, "--threads", "1", "--name", "tw1", "--tls-cert", cert.cert, "--tls-key", cert.key], { TESSERA_TOKEN: TOKEN, TESSERA_TLS_CA: cert.ca });
  peer = (await worker.waitFor(/serving peers at (wss:\/\/\S+)/))[1] as string;
  await scheduler.waitFor(/worker tw1 joined/);
}, 60_000);

afterAll(async () => {
  for (const c of clients) await c.close();
  await killAll();
});

describe("TLS with a cluster CA made in the test", () => {
  it("serves wss:// (scheduler, worker peers) and https:// (dashboard)", () => {
    expect(url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+$/);
    expect(peer).toMatch(/^wss:\/\/127\.0\.0\.1:\d+$/);
    expect(dashboard).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it("a client without the CA is refused by its own TLS check; nothing reaches the scheduler", async () => {
    const e = await failure(() => connect(url, { token: TOKEN }));
    expect(e).toMatchObject({ code: "PEER_UNREACHABLE" });
    expect(e.message).toMatch(/certificate/i);
    expect(scheduler.output()).not.toMatch(/client client-\d+ connected/);
  });

  it("a client with the CA connects, runs a job and fetches its result from the worker over wss://", async () => {
    const client = await connect(url, { token: TOKEN, ca: readFileSync(cert.ca) });
    clients.push(client);
    const x = Array.from({ length: 1000 }, (_, i) => i * 0.5);
    const out = tableRows(await fromColumns({ x }, { partitions: 4 }).collect({ client }));
    expect(out.map((r) => r.x)).toEqual(x);
    await scheduler.waitFor(/client client-\d+ connected/);
  });

  it("TESSERA_SCHEDULER=wss://... and TESSERA_TLS_CA are enough for connect()", async () => {
    process.env["TESSERA_SCHEDULER"] = url;
    process.env["TESSERA_TLS_CA"] = cert.ca;
    try {
      const client = await connect(undefined, { token: TOKEN });
      clients.push(client);
      const out = tableRows(await fromColumns({ y: [1, 2, 3] }).collect({ client }));
      expect(out.map((r) => r.y)).toEqual([1, 2, 3]);
    } finally {
      delete process.env["TESSERA_SCHEDULER"];
      delete process.env["TESSERA_TLS_CA"];
    }
  });

  it("the right CA does not help with a wrong token", async () => {
    await expect(connect(url, { token: "wrong", ca: readFileSync(cert.ca) })).rejects.toMatchObject({ code: "PROTOCOL_AUTH" });
  });

  it("a worker that does not trust the CA cannot join", async () => {
    const w = tessera(["worker", url, "--threads", "1", "--name", "untrusting"], { TESSERA_TOKEN: TOKEN });
    expect(await w.exited()).not.toBe(0);
    expect(w.output()).toMatch(/certificate/i);
    expect(scheduler.output()).not.toMatch(/worker untrusting joined/);
  });

  it("the dashboard over https: refused without the CA, served with it", async () => {
    expect((await httpsGet(new URL("/health", dashboard).href)).error).toMatch(/certificate/i);
    expect(await httpsGet(new URL("/health", dashboard).href, readFileSync(cert.ca))).toEqual({ status: 200 });
    expect(await httpsGet(new URL("/api/status", dashboard).href, readFileSync(cert.ca))).toEqual({ status: 401 });
  });
});

describe("one cluster certificate for hosts not known in advance (TESSERA_TLS_SERVERNAME)", () => {
  it("a certificate naming only the cluster is accepted for 127.0.0.1 when the client verifies that name", async () => {
    const dir = tempDir("tls-cluster");
    const c = makeCert(dir, "cluster", ["tessera-cluster"]);
    const s = tessera(["scheduler", "--port", "0", "--dashboard-port", "0", "--tls-cert", c.cert, "--tls-key", c.key], { TESSERA_TOKEN: TOKEN });
    const u = (await s.waitFor(/listening on (wss:\/\/\S+)/))[1] as string;
    const byHost = await failure(() => connect(u, { token: TOKEN, ca: readFileSync(c.ca) }));
    expect(byHost.message).toMatch(/altnames|certificate/i);
    process.env["TESSERA_TLS_SERVERNAME"] = "tessera-cluster";
    try {
      const client = await connect(u, { token: TOKEN, ca: readFileSync(c.ca) });
      clients.push(client);
    } finally {
      delete process.env["TESSERA_TLS_SERVERNAME"];
    }
  });
});

describe("a token goes off the machine only over TLS", () => {
  it("connect() refuses to send it over plain ws:// to another host, before opening any socket", async () => {
    for (const target of ["ws://scheduler.invalid:8786", "ws://tessera-scheduler.example.invalid"]) {
      const e = await failure(() => connect(target, { token: TOKEN, timeoutMs: 2000 }));
      expect(e.code, target).toBe("PROTOCOL_TOKEN_NEEDS_TLS");
    }
    const e = await failure(() => connect("ws://scheduler.invalid:8786", { token: TOKEN }));
    expect(e).toMatchObject({ code: "PROTOCOL_TOKEN_NEEDS_TLS", category: "protocol" });
    expect(e.message).toContain("ws://scheduler.invalid:8786");
  });

  it("a worker refuses too: it exits without contacting the scheduler", async () => {
    const w = tessera(["worker", "ws://scheduler.invalid:8786", "--threads", "1"], { TESSERA_TOKEN: TOKEN });
    expect(await w.exited()).not.toBe(0);
    expect(w.output()).toMatch(/PROTOCOL_TOKEN_NEEDS_TLS/);
  });
});
