// Test fixture: an HTTP proxy on 127.0.0.1 in front of s3rver that can answer with faults (503 SlowDown, 4xx, silence).
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** What the proxy does with the next request: forward it, answer with an S3 error, or never answer. */
export type Fault = { readonly kind: "forward" } | { readonly kind: "error"; readonly status: number; readonly code: string } | { readonly kind: "hang" };

export interface FaultProxy {
  readonly endpoint: string;
  /** Faults for the next requests, in order; once used up, requests are forwarded. */
  queue(...faults: Fault[]): void;
  /** Requests received since start or reset. */
  readonly received: () => number;
  /** Most requests ever in flight at once (received, not yet answered) since start or reset. */
  readonly maxInFlight: () => number;
  reset(): void;
  close(): Promise<void>;
}

export const slowDown: Fault = { kind: "error", status: 503, code: "SlowDown" };

function errorXml(code: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>injected by the test proxy</Message><RequestId>test</RequestId></Error>`;
}

/** Starts a proxy to `target` (e.g. s3rver's endpoint). `delayMs` holds every forwarded request that long first. */
export async function startFaultProxy(target: string, opts: { delayMs?: number } = {}): Promise<FaultProxy> {
  const upstream = new URL(target);
  const faults: Fault[] = [];
  const sockets = new Set<Socket>();
  let received = 0, inFlight = 0, maxInFlight = 0;
  const server = http.createServer((req, res) => {
    received++;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on("close", () => { inFlight--; });
    const fault = faults.shift() ?? { kind: "forward" };
    if (fault.kind === "hang") {
      req.resume();
      return;
    }
    if (fault.kind === "error") {
      req.resume();
      req.on("end", () => {
        const body = errorXml(fault.code);
        res.writeHead(fault.status, { "content-type": "application/xml", "content-length": Buffer.byteLength(body) });
        res.end(req.method === "HEAD" ? undefined : body);
      });
      return;
    }
    const forward = (): void => {
      const up = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (ur) => {
        res.writeHead(ur.statusCode ?? 502, ur.headers);
        ur.pipe(res);
      });
      up.on("error", () => res.destroy());
      req.pipe(up);
    };
    if (opts.delayMs !== undefined && opts.delayMs > 0) {
      req.pause();
      setTimeout(forward, opts.delayMs);
    } else {
      forward();
    }
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    queue: (...f) => { faults.push(...f); },
    received: () => received,
    maxInFlight: () => maxInFlight,
    reset: () => { received = 0; maxInFlight = inFlight; faults.length = 0; },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
