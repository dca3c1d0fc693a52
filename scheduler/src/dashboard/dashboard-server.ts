// The dashboard's HTTP server (node:http): the HTML page and its assets, /api/status, /metrics and /health.
import { readFile } from "node:fs/promises";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { InternalError, IoError } from "@tessera/common";
import { checkListener, createListener } from "@tessera/protocol";
import type { Logger, ServerTls } from "@tessera/protocol";
import { DashboardAuth } from "./dashboard-auth.js";
import { PROMETHEUS_CONTENT_TYPE, formatPrometheus } from "./prometheus.js";
import { MapRoutes, isMapPath } from "./map-routes.js";
import { GRAPH_VIEW_FILES, jobGraphResponse } from "./graph-view.js";
import type { StatusSource } from "./status-types.js";

export interface DashboardOptions {
  /** TCP port; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Interface to bind; default 127.0.0.1 (use 0.0.0.0 to serve other machines). */
  readonly host?: string;
  /**
   * Where the status comes from: a SchedulerServer, or anything with status(). Without one (a map-only server,
   * `tessera map`), `/` leads to the map and /api/status and /metrics answer 503.
   */
  readonly source?: StatusSource | null;
  /** The output root (file://DIR, s3://BUCKET/PREFIX) whose runs the map page lists and draws; none by default. */
  readonly outputs?: string | null;
  /** How often the page polls /api/status, in ms (default 500). */
  readonly pollMs?: number;
  /** Task runs /api/status returns at most (default 2,000; `?stream=N` asks for fewer or more, up to what is kept). */
  readonly streamLimit?: number;
  /** The cluster token: when set, the page, /api/status and /metrics need it (bearer header or /login cookie). */
  readonly token?: string | null;
  /** Serve https:// with this certificate and key. */
  readonly tls?: ServerTls | null;
  /** Allow listening off loopback without a token (logged loudly); refused otherwise. */
  readonly insecure?: boolean;
  readonly log?: Logger;
}

interface Asset {
  readonly body: Buffer;
  readonly type: string;
}

/** The page and its assets live in scheduler/static/dashboard (two levels up from src/dashboard and dist/dashboard). */
const STATIC_DIR = fileURLToPath(new URL("../../static/dashboard/", import.meta.url));

/** Chart.js's self-contained browser build, served from node_modules (no CDN). */
function chartJsPath(): string {
  const main = createRequire(import.meta.url).resolve("chart.js");
  return join(dirname(main), "chart.umd.min.js");
}

async function loadAssets(pollMs: number): Promise<Map<string, Asset>> {
  const read = async (path: string): Promise<Buffer> => {
    try {
      return await readFile(path);
    } catch (e) {
      throw new InternalError("DASHBOARD_ASSET_MISSING", `dashboard asset ${path} could not be read: ${(e as Error).message}`, { path });
    }
  };
  const page = (await read(join(STATIC_DIR, "index.html"))).toString("utf8").replace("{{POLL_MS}}", String(pollMs));
  return new Map<string, Asset>([
    ["/", { body: Buffer.from(page), type: "text/html; charset=utf-8" }],
    ["/static/dashboard.js", { body: await read(join(STATIC_DIR, "dashboard.js")), type: "text/javascript; charset=utf-8" }],
    ["/static/dashboard.css", { body: await read(join(STATIC_DIR, "dashboard.css")), type: "text/css; charset=utf-8" }],
    ["/static/favicon.svg", { body: await read(join(STATIC_DIR, "favicon.svg")), type: "image/svg+xml" }],
    ["/favicon.ico", { body: await read(join(STATIC_DIR, "favicon.svg")), type: "image/svg+xml" }],
    ["/static/chart.umd.min.js", { body: await read(chartJsPath()), type: "text/javascript; charset=utf-8" }],
    ...await Promise.all(GRAPH_VIEW_FILES.map(async ([route, file, type]) => [route, { body: await read(join(STATIC_DIR, file)), type }] as const)),
  ]);
}

const COMMON_HEADERS = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "content-security-policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; base-uri 'none'; frame-ancestors 'none'",
} as const;

/**
 * Serves the dashboard. Read-only: every request reads `source.status()` and nothing a request carries is
 * evaluated or reflected. With a token, cluster data needs it (see DashboardAuth); /health stays open. Off
 * loopback only with a token or `insecure` (see checkListener).
 */
export class DashboardServer {
  private constructor(
    private readonly server: Server,
    readonly host: string,
    readonly port: number,
    private readonly secure: boolean,
  ) {}

  static async start(options: DashboardOptions): Promise<DashboardServer> {
    const host = options.host ?? "127.0.0.1";
    const secure = options.tls != null;
    checkListener({ what: "the dashboard", host, token: options.token, tls: secure, insecure: options.insecure === true, ...(options.log !== undefined ? { log: options.log } : {}) });
    const assets = await loadAssets(options.pollMs ?? 500);
    const streamLimit = options.streamLimit ?? 2000;
    const auth = new DashboardAuth(options.token, secure);
    const map = new MapRoutes(options.outputs ?? null, send);
    const server = createListener(options.tls, (req, res) => handle(req, res, options.source ?? null, assets, streamLimit, auth, map));
    server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => {
      const onError = (e: NodeJS.ErrnoException): void => {
        reject(new IoError("DASHBOARD_LISTEN_FAILED", `the dashboard could not listen on ${host}:${options.port ?? 0}: ${e.message}`, { host, port: options.port ?? 0, errno: e.code }));
      };
      server.once("error", onError);
      server.listen(options.port ?? 0, host, () => {
        server.off("error", onError);
        resolve();
      });
    });
    const port = (server.address() as AddressInfo).port;
    return new DashboardServer(server, host, port, secure);
  }

  /** The page's address, e.g. http://127.0.0.1:8787/ (IPv6 hosts bracketed). */
  get url(): string {
    const h = this.host === "0.0.0.0" ? "127.0.0.1" : this.host === "::" ? "[::1]" : this.host.includes(":") ? `[${this.host}]` : this.host;
    return `${this.secure ? "https" : "http"}://${h}:${this.port}/`;
  }

  /** Stops listening and closes idle and open connections. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, head: boolean): void {
  const buf = typeof body === "string" ? Buffer.from(body) : body;
  res.writeHead(status, { ...COMMON_HEADERS, "content-type": type, "content-length": buf.length });
  res.end(head ? undefined : buf);
}

function handle(req: IncomingMessage, res: ServerResponse, source: StatusSource | null, assets: Map<string, Asset>, streamLimit: number, auth: DashboardAuth, map: MapRoutes): void {
  if (auth.intercept(req, res, new URL(req.url ?? "/", "http://dashboard.invalid").pathname)) return;
  const head = req.method === "HEAD";
  if (req.method !== "GET" && !head) {
    res.setHeader("allow", "GET, HEAD");
    send(res, 405, "text/plain; charset=utf-8", "method not allowed\n", false);
    return;
  }
  const url = new URL(req.url ?? "/", "http://dashboard.invalid");
  if (isMapPath(url.pathname)) {
    void map.handle(req, res, url, head);
    return;
  }
  if (source === null) {
    if (url.pathname === "/health") {
      send(res, 200, "application/json; charset=utf-8", '{"status":"ok"}\n', head);
    } else if (url.pathname === "/" || url.pathname === "/index.html") {
      res.writeHead(302, { ...COMMON_HEADERS, location: "/map" });
      res.end();
    } else if (url.pathname === "/api/status" || url.pathname === "/metrics") {
      send(res, 503, "text/plain; charset=utf-8", "this server has no scheduler (a map-only dashboard)\n", head);
    } else {
      const a = assets.get(url.pathname);
      if (a === undefined) send(res, 404, "text/plain; charset=utf-8", "not found\n", head);
      else send(res, 200, a.type, a.body, head);
    }
    return;
  }
  try {
    switch (url.pathname) {
      case "/api/status": {
        const n = Number(url.searchParams.get("stream") ?? streamLimit);
        const limit = Number.isFinite(n) && n >= 0 ? Math.floor(n) : streamLimit;
        const s = source.status(limit);
        const body = limit >= s.taskStream.length ? s : { ...s, taskStream: s.taskStream.slice(s.taskStream.length - limit) };
        send(res, 200, "application/json; charset=utf-8", JSON.stringify(body), head);
        return;
      }
      case "/api/graph": {
        const r = jobGraphResponse(url, source);
        send(res, r.status, "application/json; charset=utf-8", JSON.stringify(r.body), head);
        return;
      }
      case "/metrics":
        send(res, 200, PROMETHEUS_CONTENT_TYPE, formatPrometheus(source.status()), head);
        return;
      case "/health":
        send(res, 200, "application/json; charset=utf-8", '{"status":"ok"}\n', head);
        return;
      default: {
        const a = assets.get(url.pathname === "/index.html" ? "/" : url.pathname);
        if (a === undefined) send(res, 404, "text/plain; charset=utf-8", "not found\n", head);
        else send(res, 200, a.type, a.body, head);
      }
    }
  } catch (e) {
    send(res, 500, "application/json; charset=utf-8", JSON.stringify({ error: (e as Error).message ?? String(e) }), head);
  }
}
