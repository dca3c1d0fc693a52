// First contact, as a new user and as CI: `npx tessera --help` works from a checkout, and the lock file pins every
// package npm downloads by its integrity hash (CI fails on an incomplete lock rather than repairing it).
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

describe("a checkout after npm ci", () => {
  it("runs `npx tessera --help` from the linked workspace bin, without fetching anything", () => {
    const r = spawnSync("npx", ["tessera", "--help"], { cwd: ROOT, encoding: "utf8", env: { ...process.env, npm_config_offline: "true" } });
    expect(r.stderr).not.toMatch(/not found/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage:\n {2}tessera scheduler \[--host 127\.0\.0\.1\]/);
    expect(r.stdout).toMatch(/tessera worker <scheduler-url>/);
    // The bin is a committed, executable file (npm links it before the build writes dist/).
    expect(statSync(`${ROOT}packages/cli/bin/tessera.js`).mode & 0o111).not.toBe(0);
    expect(r.stdout).toMatch(/tessera causemos --model-id M/);
    expect(r.stdout).toMatch(/tessera map /);
  });

  it("has a complete package-lock.json: every package npm downloads here carries an integrity hash", () => {
    expect(execFileSync(process.execPath, ["scripts/complete-lock.mjs", "--check"], { cwd: ROOT, encoding: "utf8" })).toMatch(/lock file complete/);
    const lock = JSON.parse(readFileSync(`${ROOT}package-lock.json`, "utf8")) as { packages: Record<string, { link?: boolean; integrity?: string; optional?: boolean; os?: string[] }> };
    const registry = Object.entries(lock.packages).filter(([k, e]) => k.includes("node_modules/") && e.link !== true);
    const unhashed = registry.filter(([, e]) => e.integrity === undefined);
    // Only optional binaries for another OS or CPU lack a hash.
    for (const [k, e] of unhashed) expect(e.optional && e.os !== undefined, k).toBe(true);
    for (const name of ["@duckdb/node-bindings-linux-x64", "@msgpackr-extract/msgpackr-extract-linux-x64", "ws", "parquet-wasm", "msgpackr"]) {
      expect(lock.packages[`node_modules/${name}`]?.integrity, name).toMatch(/^sha512-/);
    }
  });

  it("CI's script checks the lock before installing and never rewrites it", () => {
    const ci = readFileSync(`${ROOT}.ci/run`, "utf8");
    expect(ci).toMatch(/node scripts\/complete-lock\.mjs --check/);
    expect(ci).not.toMatch(/node scripts\/complete-lock\.mjs(?! --check)/);
    expect(ci.indexOf("--check")).toBeLessThan(ci.indexOf("npm ci"));
    expect(ci).toMatch(/\$\{passed\} passed, \$\{failed\} failed, \$\{skipped\} skipped/);
  });
});
