// The README's "Security" commands work as written: its shell block (certificates, token, TLS, storage scope, a
// scheduler, a worker, a client) is run line by line on this machine, host names mapped to loopback, and the client's
// pipeline runs inside the scope and is refused outside it.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listFiles, tempDir } from "../support/files.js";
import { killAll, tessera } from "../cluster/support/processes.js";
import type { Proc } from "../cluster/support/processes.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TESSERA = new URL("../../packages/tessera/dist/index.js", import.meta.url).href;

/** The README's Security shell block, one command per line (comments dropped). */
function securityBlock(): string[] {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Security"), readme.indexOf("\n## ", readme.indexOf("## Security") + 1));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
  return block.split("\n").map((l) => l.replace(/\s+#.*$/, "").trim()).filter((l) => l.length > 0);
}

/** Splits a command line on spaces (the block uses no quoting) into its words. */
const words = (line: string): string[] => line.split(/\s+/);

let dir = "";
let data = "";
let lines: string[] = [];
let env: Record<string, string> = {};
let scheduler: Proc;
let worker: Proc;

/**
 * The block's lines made runnable here: both hosts are this machine (the scheduler's name maps to 127.0.0.1, the
 * worker's to localhost, listeners stay on loopback), `/data` is a scratch directory, `npx tessera` is the built CLI.
 */
function local(line: string): string {
  return line.replaceAll("scheduler.example.org", "127.0.0.1").replaceAll("worker-1.example.org", "localhost")
    .replaceAll("--host 0.0.0.0", "--host 127.0.0.1").replace(/(TESSERA_STORAGE_SCOPE=\S*?)\/data\b/, `$1${data}`);
}

beforeAll(() => {
  dir = tempDir("readme");
  data = join(dir, "data");
  mkdirSync(data);
  lines = securityBlock().map(local);
}, 30_000);
afterAll(async () => { await killAll(); });

describe("the README's cluster commands", () => {
  it("are five: certificates, the environment, a scheduler, a worker, a client", () => {
    expect(lines.map((l) => words(l).slice(0, 3).join(" "))).toEqual([
      "docker/make-certs.sh certs cluster", expect.stringMatching(/^export TESSERA_TOKEN=/), "npx tessera scheduler", "npx tessera worker",
      expect.stringMatching(/^TESSERA_SCHEDULER=wss:/),
    ]);
  });

  it("make the certificates and the environment", () => {
    execFileSync("sh", ["-ec", `PATH=${join(ROOT, "docker")}:$PATH; ${(lines[0] as string).replace("docker/", "")}`], { cwd: dir, stdio: "pipe" });
    expect(existsSync(join(dir, "certs", "cluster.pem"))).toBe(true);
    const out = execFileSync("sh", ["-ec", `${lines[1] as string}\nenv`], { cwd: dir, encoding: "utf8" });
    env = Object.fromEntries(out.split("\n").filter((l) => l.startsWith("TESSERA_")).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
    expect(env["TESSERA_TOKEN"]).toMatch(/^[0-9a-f]{48}$/);
    expect(env["TESSERA_STORAGE_SCOPE"]).toBe(`s3://my-bucket/tessera,${data}`);
    // Relative to where the commands run.
    env["TESSERA_TLS_CA"] = join(dir, env["TESSERA_TLS_CA"] as string);
  });

  it("start a scheduler and a worker with token, TLS and scope, the worker joining over wss://", async () => {
    const cli = (line: string): string[] => words(line).slice(2).map((w) => (w.startsWith("certs/") ? join(dir, w) : w));
    // Port 0 for the test (flags given later win): the README's 8786 is mapped to the port the scheduler picked.
    scheduler = tessera([...cli(lines[2] as string), "--port", "0", "--dashboard-port", "0"], env);
    const url = (await scheduler.waitFor(/listening on (wss:\/\/\S+)/))[1] as string;
    await scheduler.waitFor(/token required; TLS on; storage scope: s3:\/\/my-bucket\/tessera, /);
    const port = new URL(url).port;
    lines = lines.map((l) => l.replaceAll("127.0.0.1:8786", `127.0.0.1:${port}`));
    worker = tessera(cli(lines[3] as string), env);
    await scheduler.waitFor(/worker \S+ joined/);
    await worker.waitFor(/serving peers at wss:\/\/127\.0\.0\.1:\d+/);
    await worker.waitFor(/token required; TLS on; storage scope: s3:\/\/my-bucket\/tessera, /);
  });

  it("run a client's pipeline inside the scope, and refuse it outside", () => {
    const script = join(dir, "my-pipeline.mjs");
    writeFileSync(script, `import { fromColumns } from ${JSON.stringify(TESSERA)};
const frame = fromColumns({ k: ["a", "b", "a"], v: [1, 2, 3] });
const kept = await frame.sinkParquet(${JSON.stringify(join(data, "out"))}, { partitionBy: "k" });
let refused = "none";
try { await frame.sinkParquet(${JSON.stringify(join(dir, "outside"))}); } catch (e) { refused = e.code; }
console.log(JSON.stringify({ rows: kept.rows, files: kept.files.length, refused }));
process.exit(0);
`);
    const [assign, node, file] = words(lines[4] as string);
    expect([node, file]).toEqual(["node", "my-pipeline.js"]);
    const schedulerEnv = (assign as string).split("=");
    const out = execFileSync(process.execPath, [script], {
      cwd: dir, encoding: "utf8", env: { ...process.env, ...env, TESSERA_STORAGE_SCOPE: "", [schedulerEnv[0] as string]: schedulerEnv[1] as string },
    });
    expect(JSON.parse(out.trim().split("\n").pop() as string)).toEqual({ rows: 3, files: 2, refused: "STORAGE_OUT_OF_SCOPE" });
    expect(listFiles(join(data, "out"), ".parquet")).toHaveLength(2);
    expect(existsSync(join(dir, "outside"))).toBe(false);
  });
});
