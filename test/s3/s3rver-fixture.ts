// Test fixture: a real S3-protocol server (s3rver) in a child process on 127.0.0.1, with a log of what it served.
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** s3rver's built-in account: it refuses any other access key id (it does not check SigV4 secrets). */
export const S3RVER_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;

/** One request the server answered. `bytes` counts the response body only (headers left out). */
export interface ServedRequest {
  readonly method: string;
  readonly url: string;
  readonly range: string | null;
  readonly status: number;
  readonly bytes: number;
}

export interface S3rverHandle {
  /** e.g. "http://127.0.0.1:41234". */
  readonly endpoint: string;
  readonly port: number;
  /** The server's data directory (objects are files below it). */
  readonly directory: string;
  /** Every request since start or the last reset, in arrival order. */
  requests(): Promise<ServedRequest[]>;
  /** Response body bytes of GET requests since start or the last reset. */
  bytesServed(): Promise<number>;
  reset(): Promise<void>;
  /** The AWS variables that point the engine at this server. */
  readonly env: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

const SERVER = join(fileURLToPath(new URL(".", import.meta.url)), "s3rver-server.mjs");

/** Starts s3rver with the given buckets on a free loopback port. Always close() it (afterAll). */
export async function startS3rver(opts: { buckets?: readonly string[] } = {}): Promise<S3rverHandle> {
  process.env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] ??= "true";  // see env below
  const directory = mkdtempSync(join(tmpdir(), "tessera-s3rver-"));
  const child: ChildProcess = fork(SERVER, [JSON.stringify({ directory, buckets: opts.buckets ?? [] })], {
    execArgv: ["--openssl-legacy-provider", "--no-warnings"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("s3rver did not start within 15 s")), 15_000);
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`s3rver exited with code ${code} before it was ready`)));
    child.once("message", (m: { op?: string; port?: number }) => {
      clearTimeout(timer);
      if (m.op === "ready" && typeof m.port === "number") resolve(m.port);
      else reject(new Error(`unexpected first message from s3rver: ${JSON.stringify(m)}`));
    });
  }).catch((e: unknown) => {
    child.kill("SIGKILL");
    rmSync(directory, { recursive: true, force: true });
    throw e;
  });
  child.removeAllListeners("exit");

  let nextId = 0;
  const ask = <T>(op: string): Promise<T> => new Promise<T>((resolve, reject) => {
    const id = ++nextId;
    const onMessage = (m: { id?: number } & T): void => {
      if (m.id !== id) return;
      child.off("message", onMessage);
      resolve(m);
    };
    child.on("message", onMessage);
    if (!child.send({ op, id })) reject(new Error("s3rver is gone"));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    port,
    directory,
    env: {
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
      AWS_REGION: "us-east-1",
      // Never fall back to the EC2 metadata address when something is misconfigured.
      AWS_EC2_METADATA_DISABLED: "true",
      // The SDK warns on every process start that its 2027 releases will need Node 22; noise in test logs.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    },
    requests: async () => (await ask<{ log: ServedRequest[] }>("log")).log,
    bytesServed: async () => (await ask<{ log: ServedRequest[] }>("log")).log.filter((r) => r.method === "GET").reduce((s, r) => s + r.bytes, 0),
    reset: async () => { await ask("reset"); },
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
        child.send({ op: "close" });
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** Sets the handle's AWS variables in this process (inherited by worker threads started later); returns an undo. */
export function useS3Env(h: S3rverHandle): () => void {
  const saved = Object.fromEntries(Object.keys(h.env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, h.env);
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}
