// The tessera binary as users run it (a real process): its usage lists every command, and `tessera replay` is one.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../bin/tessera.js", import.meta.url));
const run = async (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
  try {
    const r = await promisify(execFile)(process.execPath, [BIN, ...args], { timeout: 60_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof x.code === "number" ? x.code : -1, stdout: x.stdout ?? "", stderr: x.stderr ?? "" };
  }
};

describe("the tessera binary", () => {
  it("lists every command in its usage", async () => {
    const r = await run(["--help"]);
    expect(r.code).toBe(0);
    for (const cmd of ["scheduler", "worker", "replay", "demo", "causemos", "map"]) expect(r.stdout).toContain(`tessera ${cmd} `);
  });

  it("runs replay: without a journal directory it fails and says what it needs", async () => {
    const r = await run(["replay"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("a journal directory is needed");
  });
});
