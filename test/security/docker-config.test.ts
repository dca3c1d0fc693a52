// Attack: the container setup. The image runs as a non-root user; the compose file requires a token, publishes
// ports on 127.0.0.1 only, runs every hop over TLS and sets the storage scope. (No Docker engine here: the files
// are checked as text, and the certificate script they run is exercised by tls.test.ts.)
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

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

  it("scopes storage to the bucket and the data volume", () => {
    expect(compose).toMatch(/TESSERA_STORAGE_SCOPE: s3:\/\/tessera,\/data/);
  });
});
