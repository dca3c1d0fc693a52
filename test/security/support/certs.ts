// Certificates made at test time with docker/make-certs.sh (openssl): a cluster CA and certificates it signs.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("../../../docker/make-certs.sh", import.meta.url));

export interface Cert {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

/** Makes (or reuses) `dir`'s CA and a certificate `name` for the given host names and IP addresses. */
export function makeCert(dir: string, name: string, sans: readonly string[]): Cert {
  execFileSync("sh", [SCRIPT, dir, name, ...sans], { stdio: "pipe" });
  return { ca: join(dir, "ca.pem"), cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
}
