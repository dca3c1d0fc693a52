// TESSERA_TOKEN refuses clients and workers without it; 1,000+ malformed connections close alone while a job keeps running.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { FRAME_BATCH, PROTOCOL_VERSION, encodeBatch, encodeControl, encodeData, encodePlain } from "@tessera/protocol";
import { connect } from "tessera";
import type { RemoteClient } from "tessera";
import { mulberry32 } from "../support/g1.js";
import { killAll, startScheduler, startWorker, tessera } from "./support/processes.js";
import type { Proc } from "./support/processes.js";

const TOKEN = "s3cret-token";
const MAX_MESSAGE = 1024 * 1024;
let scheduler: Proc;
let worker: Proc;
let url = "";
let peerAddress = "";
let client: RemoteClient;

beforeAll(async () => {
  ({ proc: scheduler, url } = await startScheduler({ TESSERA_TOKEN: TOKEN }, ["--max-message-bytes", String(MAX_MESSAGE)]));
  ({ proc: worker, address: peerAddress } = await startWorker(scheduler, url, "fw1", { TESSERA_TOKEN: TOKEN }, 2));
  client = await connect(url, { token: TOKEN });
}, 60_000);

afterAll(async () => {
  await client?.close();
  await killAll();
});

describe("TESSERA_TOKEN", () => {
  it("refuses a client without the token, or with a wrong one", async () => {
    await expect(connect(url, { token: null })).rejects.toMatchObject({ code: "PROTOCOL_AUTH" });
    await expect(connect(url, { token: "wrong" })).rejects.toMatchObject({ code: "PROTOCOL_AUTH" });
    await scheduler.waitFor(/closing .*PROTOCOL_AUTH/);
  });

  it("refuses a worker without the token: it exits and never joins", async () => {
    const w = tessera(["worker", url, "--threads", "1", "--name", "intruder"], { TESSERA_TOKEN: "" });
    expect(await w.exited()).not.toBe(0);
    expect(w.output()).toMatch(/PROTOCOL_AUTH/);
    expect(scheduler.output()).not.toMatch(/worker intruder joined/);
  });
});

// ---- fuzz ---------------------------------------------------------------------------------------

const hello = (role: "client" | "peer"): Uint8Array => encodeControl({ op: "hello", protocol: PROTOCOL_VERSION, token: TOKEN, role });

/** One malformed conversation: frames to send (a string is sent as a text frame). */
type Case = { readonly target: "scheduler" | "worker"; readonly frames: readonly (Uint8Array | string)[]; readonly what: string };

function randomBytes(rand: () => number, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(rand() * 256);
  return b;
}

function makeCase(i: number, rand: () => number): Case {
  const target = i % 2 === 0 ? "scheduler" : "worker";
  const role = target === "scheduler" ? "client" : "peer";
  const junk = randomBytes(rand, 1 + Math.floor(rand() * 200));
  const valid = target === "scheduler"
    ? encodeControl({ op: "graph-submitted", stimulusId: "s", clientId: "x", jobId: "j", graph: { tasks: [], outputs: [] } })
    : encodeControl({ op: "gather", id: 1, keys: ["a"] });
  switch (Math.floor(i / 2) % 12) {
    case 0: return { target, what: "random bytes before the handshake", frames: [junk] };
    case 1: return { target, what: "a text frame", frames: ["{\"op\":\"hello\"}"] };
    case 2: { const h = hello(role); return { target, what: "a truncated hello", frames: [h.subarray(0, 1 + Math.floor(rand() * (h.length - 2)))] }; }
    case 3: return { target, what: "an unknown op after the handshake", frames: [hello(role), encodeControl({ op: `op-${i}`, stimulusId: "s" })] };
    case 4: return { target, what: "wrong field types", frames: [hello(role), target === "scheduler"
      ? encodeControl({ op: "graph-submitted", stimulusId: 1, clientId: [], jobId: null, graph: { tasks: "x", outputs: 3 } })
      : encodeControl({ op: "gather", id: "one", keys: [1, 2] })] };
    case 5: return { target, what: "random bytes after the handshake", frames: [hello(role), junk] };
    case 6: return { target, what: "a data frame with a lying header length", frames: [hello(role), (() => { const d = encodeData({ op: "x" }, [junk]); new DataView(d.buffer, d.byteOffset).setUint32(1, 1e9); return d; })()] };
    case 7: return { target, what: "a truncated valid message", frames: [hello(role), valid.subarray(0, Math.max(2, Math.floor(valid.length * rand())))] };
    case 8: return { target, what: "a message before the hello", frames: [valid] };
    case 9: return { target, what: "a batch frame that is not a list", frames: [hello(role), Uint8Array.from([FRAME_BATCH, ...encodePlain({ op: "gather" })])] };
    case 10: return { target, what: "a batch with one malformed message", frames: [hello(role), encodeBatch([
      target === "scheduler" ? { op: "release-keys", stimulusId: "s", clientId: "x", keys: [] } : { op: "gather", id: 2, keys: [] },
      target === "scheduler" ? { op: "graph-submitted", stimulusId: 1 } : { op: "gather", id: "two" },
    ])] };
    default: return target === "scheduler"
      ? { target, what: "an oversized frame", frames: [hello(role), new Uint8Array(MAX_MESSAGE + 10).fill(0xc0)] }
      : { target, what: "a hello with the wrong protocol version", frames: [encodeControl({ op: "hello", protocol: 999, token: TOKEN, role })] };
  }
}

/** Sends the case's frames and resolves with the close code the other side chose. */
function runCase(c: Case): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(c.target === "scheduler" ? url : peerAddress);
    const timer = setTimeout(() => { ws.terminate(); reject(new Error(`not closed within 15 s: ${c.what}`)); }, 15_000);
    ws.on("open", () => { for (const f of c.frames) ws.send(f, { binary: typeof f !== "string" }); });
    ws.on("error", () => undefined);
    ws.on("close", (code) => { clearTimeout(timer); resolve(code); });
  });
}

describe("malformed, oversized and unexpected messages", () => {
  it("1,200 cases (malformed batches among them) each close only their own connection while a job keeps running", async () => {
    const tasks = Array.from({ length: 60 }, (_, i) => ({ key: `t-${i}`, op: "sleep", args: { ms: 10, value: 1 }, deps: [] }));
    const graph = { tasks: [...tasks, { key: "sum", op: "sum-inputs", args: 0, deps: tasks.map((t) => t.key) }], outputs: ["sum"] };
    let fuzzing = true;
    let jobs = 0;
    const jobLoop = (async () => {
      while (fuzzing || jobs === 0) {
        const v = await client.run(graph);
        expect(v.get("sum")).toBe(60);
        jobs++;
      }
    })();

    const rand = mulberry32(7);
    const cases = Array.from({ length: 1200 }, (_, i) => makeCase(i, rand));
    const codes = new Map<string, Set<number>>();
    let next = 0;
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (next < cases.length) {
        const c = cases[next++] as Case;
        const code = await runCase(c);
        codes.set(c.what, (codes.get(c.what) ?? new Set()).add(code));
      }
    }));
    fuzzing = false;
    await jobLoop;

    expect(jobs).toBeGreaterThan(0);
    // Every case was closed by the other side with a protocol code (1009: over the size limit).
    for (const [what, set] of codes) for (const code of set) expect([4400, 4401, 1009, 1002, 1006], what).toContain(code);
    // Both processes still serve: the worker never left, and a fresh client still runs a job.
    expect(scheduler.output()).not.toMatch(/worker fw1 lost/);
    expect(worker.child.exitCode).toBeNull();
    const fresh = await connect(url, { token: TOKEN });
    expect((await fresh.run(graph)).get("sum")).toBe(60);
    await fresh.close();
    expect(scheduler.output()).toMatch(/PROTOCOL_UNKNOWN_OP/);
    expect(scheduler.output()).toMatch(/PROTOCOL_BAD_FRAME/);
  });
});
