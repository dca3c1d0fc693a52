// Attack: the container setup. The image runs as a non-root user; the compose file requires a token, publishes
// ports on 127.0.0.1 only, runs every hop over TLS and scopes storage to the bucket and volume it provides. (No
// Docker engine here: the files are checked as text, and the certificate script they run is exercised by tls.test.ts.)
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { StorageScope } from "@tessera/io";

const read = (name: string): string => readFileSync(fileURLToPath(new URL(`../../docker/${name}`, import.meta.url)), "utf8");
const dockerfile = read("Dockerfile");
const compose = read("docker-compose.yml");

/** The lines of one service's block in the compose file. */
function service(name: string): string {
  const m = new RegExp(`^  ${name}:\\n((?:    .*\\n|\\s*\\n)*)`, "m").exec(compose);
  if (m === null) throw new Error(`no service ${name} in docker-compose.yml`);
  return m[1] as string;
}

describe("docker/Dockerfile", () => {
  it("runs the final image as an unprivileged user", () => {
    const final = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));
    const users = [...final.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]);
    expect(users.length).toBeGreaterThan(0);
    expect(["root", "0", "0:0"]).not.toContain(users[users.length - 1]);
  });
});

describe("docker/docker-compose.yml", () => {
  it("refuses to start without TESSERA_TOKEN, and never defaults it", () => {
    expect(compose).toMatch(/TESSERA_TOKEN: \$\{TESSERA_TOKEN:\?[^}]+\}/);
    expect(compose).not.toMatch(/\$\{TESSERA_TOKEN:-/);
    for (const s of ["scheduler", "worker"]) expect(service(s)).toMatch(/environment: \*tessera-env/);
  });

  it("publishes every port on 127.0.0.1 only", () => {
    const ports = [...compose.matchAll(/ports: \[([^\]]*)\]/g)].flatMap((m) => (m[1] as string).split(",").map((p) => p.trim().replace(/"/g, "")));
    expect(ports.length).toBeGreaterThan(0);
    for (const p of ports) expect(p, p).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
  });

  it("serves the scheduler and the workers over TLS with the cluster's certificate, workers dialing wss://", () => {
    for (const s of ["scheduler", "worker"]) {
      expect(service(s)).toMatch(/"--tls-cert", "\/certs\/cluster\.pem", "--tls-key", "\/certs\/cluster\.key"/);
    }
    expect(service("worker")).toMatch(/"wss:\/\/scheduler:8786"/);
    expect(compose).toMatch(/TESSERA_TLS_CA: \/certs\/ca\.pem/);
    expect(service("certs")).toMatch(/make-certs\.sh/);
  });

  it("scopes storage to the bucket it makes and the data volume it mounts, on the scheduler and every worker", () => {
    const value = /TESSERA_STORAGE_SCOPE: (\S+)/.exec(compose)?.[1] ?? "";
    const prefixes = StorageScope.parseList(value);
    expect(prefixes).toEqual(["s3://tessera", "/data"]);
    expect(StorageScope.of(prefixes).isScoped).toBe(true);
    for (const s of ["scheduler", "worker"]) expect(service(s)).toMatch(/environment: \*tessera-env/);
    for (const p of prefixes) {
      if (p.startsWith("s3://")) {
        // The bucket exists: the one-shot bucket service makes it in the compose file's S3 store.
        expect(service("bucket")).toContain(`mc mb --ignore-existing s3/${p.slice("s3://".length)}`);
      } else {
        // A named volume mounted there on both, declared at the top level, writable by the image's user.
        const mount = new RegExp(`"(\\w+):${p}"`);
        const volume = mount.exec(service("scheduler"))?.[1];
        expect(volume, p).toBeDefined();
        expect(mount.exec(service("worker"))?.[1]).toBe(volume);
        expect(compose).toMatch(new RegExp(`^volumes:\\n(?:  .*\\n)*  ${volume}: \\{\\}`, "m"));
        expect(dockerfile).toMatch(new RegExp(`mkdir -p [^\\n]*${p}\\b[^\\n]*&& chown node:node [^\\n]*${p}\\b`));
      }
    }
  });
});
