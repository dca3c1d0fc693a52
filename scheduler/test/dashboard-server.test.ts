// The dashboard's HTTP server against a fixed status source: routes, content types, headers and errors.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DashboardServer, PROMETHEUS_CONTENT_TYPE } from "@tessera/scheduler";
import type { ClusterStatus } from "@tessera/scheduler";
import { sampleStatus } from "./dashboard-fixture.js";

describe("DashboardServer", () => {
  let dash: DashboardServer;
  let current: () => ClusterStatus = sampleStatus;

  beforeAll(async () => {
    dash = await DashboardServer.start({ port: 0, source: { status: () => current() }, pollMs: 250 });
  });
  afterAll(async () => {
    await dash.close();
  });

  const get = (path: string, init?: RequestInit): Promise<Response> => fetch(new URL(path, dash.url), init);

  it("listens on 127.0.0.1 and a free port by default", () => {
    expect(dash.host).toBe("127.0.0.1");
    expect(dash.port).toBeGreaterThan(0);
    expect(dash.url).toBe(`http://127.0.0.1:${dash.port}/`);
  });

  it("serves the page, which loads its script, styles and Chart.js from this server only", async () => {
    const res = await get("/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
    const html = await res.text();
    expect(html).toContain('data-poll-ms="250"');
    expect(html).not.toMatch(/https?:\/\//);
    for (const src of html.matchAll(/(?:src|href)="([^"]+)"/g)) {
      const asset = await get(src[1] as string);
      expect(asset.status, src[1]).toBe(200);
      expect((await asset.arrayBuffer()).byteLength, src[1]).toBeGreaterThan(100);
    }
    const chart = await (await get("/static/chart.umd.min.js")).text();
    expect(chart).toContain("Chart.js v4");
  });

  it("serves /api/status as JSON, with ?stream= limiting the task stream", async () => {
    const res = await get("/api/status");
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual(sampleStatus());
    const none = (await (await get("/api/status?stream=0")).json()) as ClusterStatus;
    expect(none.taskStream).toEqual([]);
    expect(none.workers).toHaveLength(2);
  });

  it("serves /metrics in the Prometheus text format and /health", async () => {
    const res = await get("/metrics");
    expect(res.headers.get("content-type")).toBe(PROMETHEUS_CONTENT_TYPE);
    expect(await res.text()).toContain("tessera_workers 2\n");
    const health = await get("/health");
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
  });

  it("answers unknown paths with 404, other methods with 405, and a failing source with 500", async () => {
    expect((await get("/nope")).status).toBe(404);
    expect((await get("/static/../package.json")).status).toBe(404);
    const post = await get("/api/status", { method: "POST", body: "x" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
    const head = await get("/metrics", { method: "HEAD" });
    expect(head.status).toBe(200);
    current = () => {
      throw new Error("state unavailable");
    };
    try {
      const res = await get("/api/status");
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ error: "state unavailable" });
    } finally {
      current = sampleStatus;
    }
  });

  it("fails to start with a clear io error when the port is taken", async () => {
    await expect(DashboardServer.start({ port: dash.port, source: { status: sampleStatus } })).rejects.toMatchObject({
      code: "DASHBOARD_LISTEN_FAILED",
      category: "io",
    });
  });
});
