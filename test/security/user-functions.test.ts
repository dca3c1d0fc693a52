// Attack: a mapBatches reference that climbs out of a package or an allowed directory. Refused at the scheduler's
// intake, naming the reference; no module is loaded (checked on disk) and no task runs (checked in the scheduler's status).
import { existsSync, mkdirSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, fromColumns } from "tessera";
import type { RemoteClient } from "tessera";
import { tempDir } from "../support/files.js";
import { failure } from "../support/engine.js";
import { killAll, startScheduler, startWorker } from "../cluster/support/processes.js";
import type { Proc } from "../cluster/support/processes.js";

const NODE_MODULES = fileURLToPath(new URL("../../node_modules/", import.meta.url));
let dir = "";
let allowed = "";
let outside = "";
let marker = "";
let scheduler: Proc;
let worker: Proc;
let client: RemoteClient;
let dashboard = "";

/** A graph of one pipeline task applying `fn` to an empty batch: what a client that skips every local check would send. */
function graphFor(fn: string): { tasks: { key: string; op: string; args: unknown; deps: string[] }[]; outputs: string[] } {
  const fields = [{ name: "x", type: "float64", nullable: false }];
  return {
    tasks: [{ key: "t", op: "pipeline", deps: [], args: { source: { type: "inputs", count: 0, fields }, steps: [{ t: "mapBatches", fn, schema: fields }], fields } }],
    outputs: ["t"],
  };
}

async function finishedTasks(): Promise<number> {
  const s = (await (await fetch(new URL("/api/status", dashboard))).json()) as { tasksFinishedTotal: number; tasksErredTotal: number };
  return s.tasksFinishedTotal + s.tasksErredTotal;
}

beforeAll(async () => {
  dir = realpathSync(tempDir("functions"));
  allowed = join(dir, "allowed");
  outside = join(dir, "outside");
  marker = join(dir, "EVIL-MODULE-RAN");
  mkdirSync(allowed);
  mkdirSync(outside);
  // Loading this module at all leaves the marker file: the proof that it ran.
  const evil = `import { writeFileSync } from "node:fs";\nwriteFileSync(${JSON.stringify(marker)}, "ran");\nexport const f = (b) => b;\n`;
  writeFileSync(join(outside, "evil.mjs"), evil);
  writeFileSync(join(allowed, "ok.mjs"), "export const f = (b) => b;\n");
  symlinkSync(join(outside, "evil.mjs"), join(allowed, "link.mjs"));
  symlinkSync(outside, join(allowed, "sub"));
  const env = { TESSERA_FUNCTIONS_DIR: allowed };
  let m;
  ({ proc: scheduler, url: m } = await startScheduler(env));
  dashboard = (await scheduler.waitFor(/dashboard at (http\S+)/))[1] as string;
  ({ proc: worker } = await startWorker(scheduler, m, "fw1", env));
  client = await connect(m, { token: null });
}, 60_000);

afterAll(async () => {
  await client?.close();
  await killAll();
});

describe("mapBatches references escaping the allowed places", () => {
  it("are refused at intake, each naming its reference; nothing loads and no task runs", async () => {
    const climb = relative(join(NODE_MODULES, "flatbuffers"), join(outside, "evil.mjs"));
    const attacks: [string, string][] = [
      [`flatbuffers/${climb}#f`, "FUNCTION_NOT_ALLOWED"],        // Node would resolve these .. segments out of the package
      [`${allowed}/../outside/evil.mjs#f`, "FUNCTION_NOT_ALLOWED"],
      [`${outside}/evil.mjs#f`, "FUNCTION_NOT_ALLOWED"],
      [`file://${outside}/evil.mjs#f`, "FUNCTION_NOT_ALLOWED"],
      [`${allowed}/%2e%2e/outside/evil.mjs#f`, "FUNCTION_NOT_ALLOWED"],
      [`flatbuffers%2F..%2F..%2F..%2F${outside.slice(1).replaceAll("/", "%2F")}%2Fevil.mjs#f`, "FUNCTION_NOT_ALLOWED"],
      [`flatbuffers\\..\\..\\..\\${outside.slice(1).replaceAll("/", "\\")}\\evil.mjs#f`, "FUNCTION_NOT_ALLOWED"],
      [`${allowed}/link.mjs#f`, "FUNCTION_NOT_ALLOWED"],          // a symlink inside the allowed directory
      [`${allowed}/sub/evil.mjs#f`, "FUNCTION_NOT_ALLOWED"],      // a symlinked directory inside it
      ["node:child_process#execSync", "FUNCTION_NOT_ALLOWED"],
      ["child_process#execSync", "FUNCTION_NOT_ALLOWED"],
      [`data:text/javascript,import "${outside}/evil.mjs"#f`, "FUNCTION_NOT_ALLOWED"],
      ["flatbuffers/js/flatbuffers.js#f", "FUNCTION_NOT_ALLOWED"], // a package file its (missing) exports map does not offer
    ];
    for (const [ref, code] of attacks) {
      const e = await failure(() => client.run(graphFor(ref) as never));
      expect(e.code, ref).toBe(code);
      expect(e.category, ref).toBe("plan");
      expect(e.message, ref).toContain(ref);
    }
    // The scheduler refused them (its log says so), no worker got a task, the module never ran.
    expect(scheduler.output()).toMatch(/failed after [\d.?]+s: FUNCTION_NOT_ALLOWED/);
    expect(worker.output()).not.toMatch(/received its first task/);
    expect(await finishedTasks()).toBe(0);
    expect(existsSync(marker)).toBe(false);
  });

  it("are refused by the client's plan too, before anything is sent", async () => {
    const e = await failure(() => fromColumns({ x: [1] }).mapBatches(`${allowed}/../outside/evil.mjs#f`, { schema: [{ name: "x", type: "float64", nullable: false }] })
      .collect({ client }));
    expect(e).toMatchObject({ code: "FUNCTION_NOT_ALLOWED", category: "plan" });
    expect(await finishedTasks()).toBe(0);
  });

  it("while a function inside the allowed directory runs (the cluster is not refusing everything)", async () => {
    const out = await client.run(graphFor(`${allowed}/ok.mjs#f`) as never);
    expect((out.get("t") as { length: number }).length).toBe(0);
    await worker.waitFor(/received its first task/);
    expect(await finishedTasks()).toBe(1);
    expect(existsSync(marker)).toBe(false);
  });
});
