// The dashboard in a real browser: an in-process cluster runs a job, headless Chromium loads the page and sees it.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TaskGraph, TaskSpec } from "@tessera/graph";
import type { ClusterStatus } from "@tessera/scheduler";
import { InProcessCluster } from "tessera";
import { TEST_OPS_MODULE } from "../support/test-ops.js";

/** Debian's Chromium (installed by .ci/run); TESSERA_CHROMIUM overrides the path. */
const CHROMIUM = process.env["TESSERA_CHROMIUM"] ?? "/usr/bin/chromium";
const ARTIFACTS = fileURLToPath(new URL("../../test-artifacts/", import.meta.url));
const GROUPS = 48;
const PER_GROUP = 5;
const N = 50_000;

/**
 * GROUPS groups of PER_GROUP make-array tasks (N elements each) summed by one sum-arrays task, and one total:
 * 48 * 6 + 1 = 289 tasks, with three labels for the task stream's colours.
 */
function jobGraph(): { graph: TaskGraph; expected: number } {
  const tasks: TaskSpec[] = [];
  const sums: string[] = [];
  let expected = 0;
  for (let g = 0; g < GROUPS; g++) {
    const parts: string[] = [];
    for (let i = 0; i < PER_GROUP; i++) {
      const offset = g * PER_GROUP + i;
      const key = `make-array-${g}-${i}`;
      tasks.push({ key, op: "make-array", args: { n: N, offset }, deps: [], label: { name: "make-array", partition: offset } });
      parts.push(key);
      expected += (N * (N - 1)) / 2 + N * offset;
    }
    tasks.push({ key: `sum-arrays-${g}`, op: "sum-arrays", args: null, deps: parts, label: { name: "sum-arrays", partition: g } });
    sums.push(`sum-arrays-${g}`);
  }
  tasks.push({ key: "total", op: "sum-inputs", args: 0, deps: sums, label: { name: "total" } });
  return { graph: { tasks, outputs: ["total"] }, expected };
}

describe("dashboard in headless Chromium", () => {
  let cluster: InProcessCluster | undefined;
  let context: BrowserContext | null = null;
  let profile: string | null = null;
  const total = GROUPS * (PER_GROUP + 1) + 1;

  /** A missing browser fails the test (never skips it): CI installs Chromium, so its absence is a broken setup. */
  const missing = existsSync(CHROMIUM)
    ? null
    : `Chromium not found at ${CHROMIUM}: the dashboard browser test needs Debian's chromium ` +
      "(apt-get install -y chromium; .ci/run installs it) or TESSERA_CHROMIUM pointing at a Chromium binary";

  beforeAll(async () => {
    if (missing !== null) return;
    cluster = await InProcessCluster.start({ workers: 2, threads: 2, heartbeatMs: 100, dashboardPort: 0, opModules: [TEST_OPS_MODULE] });
    profile = await mkdtemp(join(tmpdir(), "tessera-chromium-"));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
      ],
      viewport: { width: 1440, height: 900 },
      timeout: 60_000,
    });
  });

  afterAll(async () => {
    await context?.close();
    await cluster?.close();
    if (profile !== null) await rm(profile, { recursive: true, force: true });
  });

  it("shows the workers, the finished job's progress and its task stream; /api/status and /metrics agree", async () => {
    if (missing !== null) throw new Error(missing);
    if (cluster === undefined) throw new Error("the cluster did not start");
    const url = cluster.dashboardUrl;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const { graph, expected } = jobGraph();
    const values = await cluster.run(graph);
    expect(values.get("total")).toBe(expected);

    const page: Page = await (context as BrowserContext).newPage();
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => { if (m.type() === "error") problems.push(`console error: ${m.text()}`); });
    page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
    await page.goto(url as string);

    for (const w of ["worker-0", "worker-1"]) await page.waitForSelector(`#workers tbody tr[data-worker="${w}"]`);
    const job = page.locator('#jobs tbody tr[data-job="job-1"][data-state="done"]');
    await job.waitFor();
    expect(await job.locator('[data-col="progress"]').innerText()).toBe(`${total}/${total}`);
    expect(await job.locator(".state").innerText()).toBe("done");
    // One row per worker, with its threads.
    expect(await page.locator("#workers tbody tr").count()).toBe(2);
    expect(await page.locator('#workers tbody tr[data-worker="worker-0"] td').nth(1).innerText()).toBe("2");
    // The task stream: drawn, with one legend entry per label.
    await page.waitForSelector('#legend [data-label="make-array"]');
    expect(await page.locator("#legend .item").evaluateAll((items) => items.map((i) => i.getAttribute("data-label")))).toEqual([
      "make-array", "sum-arrays", "total",
    ]);
    expect(await page.locator("#task-stream").isVisible()).toBe(true);
    await page.waitForSelector('#conn[data-state="live"]');
    expect(await page.locator("#sum-workers").innerText()).toBe("2");

    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, "dashboard.png"), fullPage: true });
    expect(problems).toEqual([]);

    const status = (await (await fetch(new URL("/api/status", url as string))).json()) as ClusterStatus;
    expect(status.workers.map((w) => [w.id, w.nthreads])).toEqual([["worker-0", 2], ["worker-1", 2]]);
    expect(status.jobs[0]).toMatchObject({ clientId: "in-process", jobId: "job-1", state: "done", done: total, total });
    expect(status.tasksFinishedTotal).toBeGreaterThanOrEqual(total);
    expect(status.taskStream).toHaveLength(total);
    const labels = new Map<string, number>();
    for (const e of status.taskStream) {
      labels.set(e.label, (labels.get(e.label) ?? 0) + 1);
      expect(["worker-0", "worker-1"]).toContain(e.worker);
      expect(e.thread === 0 || e.thread === 1).toBe(true);
      expect(e.end).toBeGreaterThanOrEqual(e.start);
    }
    expect(Object.fromEntries(labels)).toEqual({ "make-array": GROUPS * PER_GROUP, "sum-arrays": GROUPS, total: 1 });

    const metrics = await (await fetch(new URL("/metrics", url as string))).text();
    expect(metrics).toContain("# TYPE tessera_workers gauge\ntessera_workers 2\n");
    expect(metrics).toMatch(/^tessera_worker_memory_bytes\{worker="worker-0"\} \d+$/m);
    expect(metrics).toMatch(/^tessera_tasks_finished_total \d+$/m);
    expect(metrics).toContain('tessera_jobs{state="done"} 1\n');
    const health = await fetch(new URL("/health", url as string));
    expect(health.status).toBe(200);
  });

  it("serves no dashboard unless asked to", async () => {
    const plain = await InProcessCluster.start({ workers: 1, threads: 0 });
    try {
      expect(plain.dashboardUrl).toBeNull();
    } finally {
      await plain.close();
    }
  });
});
