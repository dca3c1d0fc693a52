// Attack: reading the cluster through its dashboard. With TESSERA_TOKEN the page, /api/status and /metrics need the
// token (bearer header, or a login form setting an HttpOnly SameSite=Strict cookie); /health stays open.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { killAll, startScheduler } from "../cluster/support/processes.js";

const TOKEN = "dash-Token-42";
let base = "";

const at = (path: string): string => new URL(path, base).href;
const get = (path: string, headers: Record<string, string> = {}): Promise<Response> => fetch(at(path), { headers, redirect: "manual" });
const login = (token: string): Promise<Response> => fetch(at("/login"), {
  method: "POST", redirect: "manual", body: new URLSearchParams({ token }).toString(),
  headers: { "content-type": "application/x-www-form-urlencoded" },
});

beforeAll(async () => {
  const { proc } = await startScheduler({ TESSERA_TOKEN: TOKEN });
  base = (await proc.waitFor(/dashboard at (http\S+)/))[1] as string;
}, 60_000);
afterAll(killAll);

describe("the dashboard of a cluster with a token", () => {
  it("refuses the page, /api/status and /metrics without it; /health and the login form stay open", async () => {
    const page = await get("/");
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe("/login");
    for (const p of ["/api/status", "/metrics", "/index.html?x=1", "/static/dashboard.js"]) {
      const r = await get(p);
      expect(r.status, p).toBe(p === "/index.html?x=1" ? 303 : 401);
      const body = await r.text();
      expect(body, p).not.toMatch(/tessera_workers|"workers"|taskStream/);
    }
    expect((await get("/api/status")).headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect((await get("/health")).status).toBe(200);
    const form = await get("/login");
    expect(form.status).toBe(200);
    expect(await form.text()).toMatch(/<form method="post" action="\/login">/);
  });

  it("accepts the token as a bearer header, and no other", async () => {
    const ok = await get("/api/status", { authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { workers: unknown[] }).workers).toEqual([]);
    expect((await get("/metrics", { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    for (const wrong of [`Bearer ${TOKEN.toLowerCase()}`, `Bearer ${TOKEN}x`, `Basic ${Buffer.from(`u:${TOKEN}`).toString("base64")}`, "Bearer ", TOKEN]) {
      expect((await get("/api/status", { authorization: wrong })).status, wrong).toBe(401);
    }
  });

  it("a login with the token sets an HttpOnly, SameSite=Strict session cookie that opens the dashboard", async () => {
    const bad = await login("nope");
    expect(bad.status).toBe(401);
    expect(bad.headers.get("set-cookie")).toBeNull();
    const good = await login(TOKEN);
    expect(good.status).toBe(303);
    expect(good.headers.get("location")).toBe("/");
    const cookie = good.headers.get("set-cookie") as string;
    expect(cookie).toMatch(/^tessera_session=[A-Za-z0-9_-]{40,}; /);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).not.toContain(TOKEN);
    const session = cookie.split(";")[0] as string;
    expect((await get("/", { cookie: session })).status).toBe(200);
    expect((await get("/api/status", { cookie: session })).status).toBe(200);
    expect((await get("/metrics", { cookie: session })).status).toBe(200);
    // A made-up or altered session is nothing.
    expect((await get("/api/status", { cookie: `${session}x` })).status).toBe(401);
    expect((await get("/api/status", { cookie: "tessera_session=" })).status).toBe(401);
  });

  it("refuses an oversized login form without reading it all", async () => {
    const r = await fetch(at("/login"), { method: "POST", body: `token=${"x".repeat(100_000)}`, headers: { "content-type": "application/x-www-form-urlencoded" } })
      .catch((e: Error) => ({ status: 0, error: e.message }));
    expect([413, 0]).toContain(r.status);
    expect((await get("/health")).status).toBe(200);
  });
});
