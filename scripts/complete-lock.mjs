#!/usr/bin/env node
// Keeps package-lock.json complete: other platforms' optional packages recorded, an integrity hash on every package.
//
// `node scripts/complete-lock.mjs` (after any `npm install` that changes the lock) repairs two gaps npm leaves:
// - other platforms' optional native packages missing from the lock, which makes `npm ci` refuse on a clean clone
//   ("Missing: X@ from lock file", npm/cli#4828, #8320): each is recorded with the os/cpu/libc its name encodes;
// - packages without an `integrity` hash: filled from the tarball npm downloaded for that exact version (npm's
//   cache holds its sha512, which is the hash the registry serves), so `npm ci` verifies every download.
// `node scripts/complete-lock.mjs --check` (CI) changes nothing and exits 1, listing both gaps, if there are any.
// Only other platforms' optional binaries may lack a hash: npm never downloads them here.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

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

const LIBC = process.platform === "linux" ? (process.report.getReport().header.glibcVersionRuntime ? "glibc" : "musl") : null;

/** Whether an entry's os/cpu/libc fields (npm's `!x` negations included) allow this machine. */
function forThisPlatform(entry) {
  const allows = (list, value) => {
    if (!list || value === null) return true;
    const neg = list.filter((x) => x.startsWith("!")).map((x) => x.slice(1));
    const pos = list.filter((x) => !x.startsWith("!"));
    return !neg.includes(value) && (pos.length === 0 || pos.includes(value));
  };
  return allows(entry.os, process.platform) && allows(entry.cpu, process.arch) && allows(entry.libc, LIBC);
}

/** Packages the lock lacks: other platforms' optional dependencies nobody recorded. */
function missingPlatformPackages(pkgs) {
  const out = [];
  for (const [where, entry] of Object.entries(pkgs)) {
    for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
      if (pkgs[`${where ? `${where}/` : ""}node_modules/${name}`] || pkgs[`node_modules/${name}`]) continue;
      const platform = platformOf(name);
      if (!platform || out.some((m) => m.name === name)) continue;
      out.push({ name, entry: { version: spec.replace(/^[\^~=]/, ""), optional: true, ...platform, ...(entry.dev ? { dev: true } : {}) } });
    }
  }
  return out;
}

/** Registry packages without an integrity hash, except other platforms' optional binaries. */
function withoutIntegrity(pkgs) {
  return Object.entries(pkgs).filter(([where, e]) => where.includes("node_modules/") && !e.link && !e.integrity && !(e.optional && !forThisPlatform(e)));
}

const nameOf = (where) => where.slice(where.lastIndexOf("node_modules/") + "node_modules/".length);

/** npm's cache (cacache), from npm's own installation: the hashes of the tarballs it downloaded. */
async function cachedIntegrity() {
  const npmRoot = execFileSync("npm", ["root", "-g"], { encoding: "utf8" }).trim();
  const cacache = createRequire(join(npmRoot, "npm", "package.json"))("cacache");
  const dir = join(execFileSync("npm", ["config", "get", "cache"], { encoding: "utf8" }).trim(), "_cacache");
  const byKey = new Map();
  for (const [key, e] of Object.entries(await cacache.ls(dir))) byKey.set(key, e.integrity);
  return (name, version) => {
    const base = name.split("/").pop();
    return byKey.get(`pacote:tarball:${name}@${version}`)
      ?? [...byKey].find(([k]) => k.startsWith("make-fetch-happen:request-cache:") && k.endsWith(`/${name}/-/${base}-${version}.tgz`))?.[1];
  };
}

const path = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(path, "utf8"));
const pkgs = lock.packages;
const check = process.argv.includes("--check");
const missing = missingPlatformPackages(pkgs);
const unhashed = withoutIntegrity(pkgs);

if (check) {
  if (missing.length === 0 && unhashed.length === 0) {
    console.log("lock file complete");
    process.exit(0);
  }
  if (missing.length > 0) console.log(`package-lock.json lacks ${missing.length} other-platform packages: ${missing.map((m) => m.name).join(", ")}`);
  if (unhashed.length > 0) console.log(`package-lock.json has no integrity hash for ${unhashed.length} packages: ${unhashed.map(([w, e]) => `${nameOf(w)}@${e.version}`).join(", ")}`);
  console.log("run `node scripts/complete-lock.mjs` after `npm install` and commit package-lock.json");
  process.exit(1);
}

for (const m of missing) pkgs[`node_modules/${m.name}`] = m.entry;
const notFound = [];
if (unhashed.length > 0) {
  const lookup = await cachedIntegrity();
  for (const [where, e] of unhashed) {
    const integrity = lookup(nameOf(where), e.version);
    // Placed where npm writes it, after version and resolved.
    if (integrity) pkgs[where] = { version: e.version, ...(e.resolved ? { resolved: e.resolved } : {}), integrity, ...e };
    else notFound.push(`${nameOf(where)}@${e.version}`);
  }
}
lock.packages = Object.fromEntries(Object.entries(pkgs).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : a > b ? 1 : 0)));
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(missing.length > 0 ? `recorded ${missing.length} other-platform packages: ${missing.map((m) => m.name).join(", ")}` : "no other-platform packages missing");
console.log(`filled ${unhashed.length - notFound.length} integrity hashes from npm's cache`);
if (notFound.length > 0) {
  console.log(`not in npm's cache (run \`npm ci\` first, then this again): ${notFound.join(", ")}`);
  process.exit(1);
}
