// The dashboard's gate: with a token, the page, /api/status and /metrics need it (bearer header or a login cookie).
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/** Paths anyone may fetch: liveness, the login form, and static code and styles (no cluster data). */
const OPEN = new Set(["/health", "/login", "/favicon.ico", "/static/dashboard.css", "/static/favicon.svg"]);
const COOKIE = "tessera_session";
/** A login lasts this long, and at most this many are kept (the oldest go first). */
const SESSION_MS = 12 * 3600 * 1000;
const MAX_SESSIONS = 1000;
const MAX_FORM_BYTES = 8192;

const HEADERS = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "content-security-policy": "default-src 'self'; style-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
} as const;

function digest(s: string): Buffer {
  return createHash("sha256").update(s).digest();
}

function loginPage(failed: boolean): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Tessera dashboard: sign in</title><link rel="stylesheet" href="/static/dashboard.css"></head>
<body>
<main class="login">
<h1>Tessera dashboard</h1>
<form method="post" action="/login">
<label for="token">Cluster token (TESSERA_TOKEN)</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<button type="submit">Sign in</button>
</form>
${failed ? '<p class="login-error" role="alert">That is not the cluster token.</p>' : ""}
</main>
</body>
</html>
`;
}

/**
 * Invariants: tokens are compared in constant time (SHA-256 digests, timingSafeEqual); a session cookie is a
 * random 256-bit id, HttpOnly and SameSite=Strict (Secure over TLS), looked up by its digest; with no token
 * configured the gate lets everything through (the dashboard then listens on loopback, see checkListener).
 */
export class DashboardAuth {
  private readonly token: Buffer | null;
  private readonly sessions = new Map<string, number>();

  constructor(token: string | null | undefined, private readonly secure: boolean, private readonly now: () => number = Date.now) {
    this.token = token === null || token === undefined || token === "" ? null : digest(token);
  }

  get enabled(): boolean {
    return this.token !== null;
  }

  /**
   * Handles the request if the gate has to: the login form (GET and POST /login) and refusals of protected paths
   * without credentials (401, or a redirect to /login for the page). Returns true when it answered the request.
   */
  intercept(req: IncomingMessage, res: ServerResponse, path: string): boolean {
    if (this.token === null) return false;
    if (path === "/login") {
      if (req.method === "POST") this.login(req, res);
      else if (req.method === "GET" || req.method === "HEAD") this.send(res, 200, loginPage(false), req.method === "HEAD");
      else return false;
      return true;
    }
    if (OPEN.has(path) || this.authorized(req)) return false;
    if (path === "/" || path === "/index.html") {
      res.writeHead(303, { ...HEADERS, location: "/login", "content-length": 0 }).end();
    } else {
      const body = "the dashboard needs the cluster token: Authorization: Bearer <TESSERA_TOKEN>, or sign in at /login\n";
      res.writeHead(401, { ...HEADERS, "content-type": "text/plain; charset=utf-8", "www-authenticate": 'Bearer realm="tessera"', "content-length": Buffer.byteLength(body) });
      res.end(req.method === "HEAD" ? undefined : body);
    }
    return true;
  }

  private matches(candidate: string): boolean {
    return this.token !== null && timingSafeEqual(digest(candidate), this.token);
  }

  private authorized(req: IncomingMessage): boolean {
    const auth = req.headers.authorization;
    if (auth !== undefined && /^Bearer /i.test(auth) && this.matches(auth.slice(7).trim())) return true;
    const id = cookieValue(req.headers.cookie, COOKIE);
    if (id === null) return false;
    const key = digest(id).toString("hex");
    const expires = this.sessions.get(key);
    if (expires === undefined) return false;
    if (expires < this.now()) {
      this.sessions.delete(key);
      return false;
    }
    return true;
  }

  private login(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_FORM_BYTES) {
        res.writeHead(413, { ...HEADERS, "content-length": 0, connection: "close" }).end();
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => {
      if (size > MAX_FORM_BYTES) return;
      const token = new URLSearchParams(Buffer.concat(chunks).toString("utf8")).get("token") ?? "";
      if (!this.matches(token)) {
        this.send(res, 401, loginPage(true), false);
        return;
      }
      const id = randomBytes(32).toString("base64url");
      this.remember(digest(id).toString("hex"));
      const cookie = `${COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_MS / 1000}${this.secure ? "; Secure" : ""}`;
      res.writeHead(303, { ...HEADERS, location: "/", "set-cookie": cookie, "content-length": 0 }).end();
    });
    req.on("error", () => res.destroy());
  }

  private remember(key: string): void {
    const now = this.now();
    for (const [k, expires] of this.sessions) if (expires < now) this.sessions.delete(k);
    while (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value as string);
    this.sessions.set(key, now + SESSION_MS);
  }

  private send(res: ServerResponse, status: number, html: string, head: boolean): void {
    const body = Buffer.from(html);
    res.writeHead(status, { ...HEADERS, "content-type": "text/html; charset=utf-8", "content-length": body.length });
    res.end(head ? undefined : body);
  }
}

/** The value of cookie `name` in a Cookie header, or null. */
function cookieValue(header: string | undefined, name: string): string | null {
  if (header === undefined) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}
