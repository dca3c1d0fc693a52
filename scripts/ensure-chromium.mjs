#!/usr/bin/env node
// Before the tests: the dashboard test drives Debian's Chromium; install it when missing and we are root with apt.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const path = process.env.TESSERA_CHROMIUM ?? "/usr/bin/chromium";
if (existsSync(path)) process.exit(0);
const root = typeof process.getuid === "function" && process.getuid() === 0;
const apt = spawnSync("sh", ["-c", "command -v apt-get"], { encoding: "utf8" }).status === 0;
if (!root || !apt) {
  console.warn(`warning: ${path} not found; the dashboard test needs Chromium (Debian: apt-get install chromium)`);
  process.exit(0);
}
console.log("installing Debian's chromium for the dashboard test ...");
try {
  execFileSync("sh", ["-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null"], { stdio: "inherit" });
} catch {
  console.warn("warning: could not install chromium; the dashboard test will fail");
}
