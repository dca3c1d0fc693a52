#!/usr/bin/env node
// Records other platforms' optional native packages in package-lock.json, so `npm ci` works on a clean clone.
// When a registry (or mirror) lacks those packages, npm writes a lock without them and `npm ci` then refuses
// ("Missing: X@ from lock file", npm/cli#4828, #8320). Each is recorded with the os/cpu/libc its name encodes,
// so npm skips it here exactly as it would skip it with full metadata. Run after `npm install` changes the lock.
import { readFileSync, writeFileSync } from "node:fs";

const OS = ["darwin", "linux", "win32", "android", "freebsd", "openbsd", "netbsd", "sunos", "aix", "openharmony"];
const CPU = ["arm64", "x64", "arm", "ia32", "ppc64", "s390x", "riscv64", "loong64", "mips64el", "wasm32"];
const ALIAS = { armv7: "arm", "arm-eabi": "arm", "arm-gnueabihf": "arm", "arm-musleabihf": "arm", "loongarch64": "loong64", "powerpc64le": "ppc64" };

/** os / cpu / libc from a platform package name such as `@scope/x-linux-arm64-musl`; null when it names none. */
function platformOf(name) {
  const parts = name.split("/").pop().split("-");
  const os = parts.find((p) => OS.includes(p));
  if (!os) return null;
  const rest = parts.slice(parts.indexOf(os) + 1).join("-");
  const cpu = CPU.find((c) => rest === c || rest.startsWith(`${c}-`)) ?? Object.entries(ALIAS).find(([k]) => rest.startsWith(k))?.[1];
  const out = { os: [os] };
  if (cpu) out.cpu = [cpu];
  if (/musl/.test(rest)) out.libc = ["musl"];
  else if (/gnu/.test(rest) && os === "linux") out.libc = ["glibc"];
  return out;
}

const path = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(path, "utf8"));
const pkgs = lock.packages;
const added = [];
for (const [where, entry] of Object.entries(pkgs)) {
  for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    if (pkgs[`${where ? `${where}/` : ""}node_modules/${name}`] || pkgs[`node_modules/${name}`]) continue;
    const platform = platformOf(name);
    if (!platform) continue;
    const e = { version: spec.replace(/^[\^~=]/, ""), optional: true, ...platform };
    if (entry.dev) e.dev = true;
    pkgs[`node_modules/${name}`] = e;
    added.push(name);
  }
}
lock.packages = Object.fromEntries(Object.entries(pkgs).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : a > b ? 1 : 0)));
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(added.length ? `recorded ${added.length} other-platform packages: ${added.join(", ")}` : "lock file complete");
