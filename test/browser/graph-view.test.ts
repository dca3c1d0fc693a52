// The dashboard's graph view in headless Chromium: a known plan drawn as its stages, with counts, state colours, bytes and explain().
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobGraphStatus } from "@tessera/scheduler";
import { InProcessCluster, col, fromColumns, len } from "tessera";
import { TEST_OPS_MODULE } from "../support/test-ops.js";

const CHROMIUM = process.env["TESSERA_CHROMIUM"] ?? "/usr/bin/chromium";
const ARTIFACTS = fileURLToPath(new URL("../../test-artifacts/", import.meta.url));
/** The state colours of graph.css (done: --st-memory, running: --st-processing). */
const DONE_RGB = [0x1f, 0x9d, 0x55];
const RUNNING_RGB = [0x2f, 0x6f, 0xde];

/** A shuffling group-by over 6 partitions: its stages are the scans, the picks of their splits and the final merges. */
const plan = () => {
  const n = 30_000;
  return fromColumns({ k: Array.from({ length: n }, (_, i) => (i * 7919) % 1009), v: Array.from({ length: n }, (_, i) => i % 100) }, { partitions: 6 })
    .filter(col("v").gt(10))
    .groupBy("k").strategy("shuffle").agg(col("v").sum().alias("s"), len().alias("n"));
};

describe("graph view in headless Chromium", () => {
  let cluster: InProcessCluster | undefined;
  let context: BrowserContext | null = null;
  let profile: string | null = null;
  const missing = existsSync(CHROMIUM) ? null : `Chromium not found at ${CHROMIUM}: apt-get install -y chromium, or set TESSERA_CHROMIUM`;

  beforeAll(async () => {
    if (missing !== null) return;
    cluster = await InProcessCluster.start({ workers: 2, threads: 1, heartbeatMs: 100, dashboardPort: 0, opModules: [TEST_OPS_MODULE] });
    profile = await mkdtemp(join(tmpdir(), "tessera-chromium-"));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: true, viewport: { width: 1440, height: 900 }, timeout: 60_000,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
    });
  });

  afterAll(async () => {
    await context?.close();
    await cluster?.close();
    if (profile !== null) await rm(profile, { recursive: true, force: true });
  });

  /** The colour of pixel (x, y) of a PNG, decoded by the browser itself (in a blank page, outside the dashboard's CSP). */
  async function pixel(png: Buffer, x: number, y: number): Promise<number[]> {
    const blank = await (context as BrowserContext).newPage();
    try {
      // A script string: this file is compiled without DOM types; the code runs in the browser.
      const script = `(async () => {
        const img = new Image();
        img.src = "data:image/png;base64,${png.toString("base64")}";
        await img.decode();
        const c = document.createElement("canvas");
        c.width = img.width;
        c.height = img.height;
        const g = c.getContext("2d");
        g.drawImage(img, 0, 0);
        return [...g.getImageData(${Math.round(x)}, ${Math.round(y)}, 1, 1).data].slice(0, 3);
      })()`;
      return (await blank.evaluate(script)) as number[];
    } finally {
      await blank.close();
    }
  }

  function near(rgb: number[], want: number[]): boolean {
    return rgb.every((c, i) => Math.abs(c - (want[i] as number)) <= 3);
  }

  it("draws a finished plan as one box per stage with its counts, the bytes between stages, and the plan's explain text", async () => {
    if (missing !== null) throw new Error(missing);
    const c = cluster as InProcessCluster;
    const frame = plan();
    const result = await frame.collect({ client: c, progress: false });
    expect(result.numRows).toBe(1009);
    const url = new URL("graph?job=in-process/job-1", c.dashboardUrl as string).href;

    const page: Page = await (context as BrowserContext).newPage();
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => { if (m.type() === "error") problems.push(`console error: ${m.text()}`); });
    await page.goto(url);
    await page.waitForSelector('#job-state[data-state="done"]');

    // The stages are the labels of the tasks that ran (from the task stream, a separate record), one box each.
    const status = (await (await fetch(new URL("/api/status?stream=10000", c.dashboardUrl as string))).json()) as { taskStream: { label: string }[] };
    const ran = [...new Set(status.taskStream.map((e) => e.label))].sort();
    const boxes = await page.locator("#graph .stage").evaluateAll((gs) => gs.map((g) => ({
      name: g.getAttribute("data-stage"), state: g.getAttribute("data-state"), done: g.getAttribute("data-done"), total: g.getAttribute("data-total"),
    })));
    expect(boxes.map((b) => b.name).sort()).toEqual(ran);
    expect(boxes.length).toBeGreaterThanOrEqual(3);
    for (const b of boxes) {
      expect(b.state).toBe("done");
      expect(b.done).toBe(b.total);
    }
    const graph = (await (await fetch(new URL("/api/graph?job=in-process/job-1", c.dashboardUrl as string))).json()) as JobGraphStatus;
    expect(graph.stages.reduce((n, s) => n + s.total, 0)).toBe(status.taskStream.length);
    // Text in each box: its name and "done/total tasks".
    for (const s of graph.stages) {
      const text = await page.locator(`#graph .stage[data-stage="${s.name}"]`).textContent();
      expect(text).toContain(s.name);
      expect(text).toContain(`${s.total}/${s.total} tasks`);
    }
    // Every edge is drawn, with the bytes the earlier stage passed on (the final merges read everything the splits made).
    expect(await page.locator("#graph .flow").count()).toBe(graph.edges.length);
    const intoFinal = graph.edges.find((e) => e.to === "agg-final");
    expect(intoFinal?.nbytes).toBeGreaterThan(0);
    expect(await page.locator(`#graph .flow[data-to="agg-final"] .edge-label`).first().textContent()).toMatch(/^[\d.]+ (B|KiB|MiB)$/);
    // The plan's explain() text beside it, and a progress row per stage.
    expect((await page.locator("#explain").textContent())?.trim()).toBe((await frame.explain()).trim());
    expect(await page.locator("#stages tbody tr").count()).toBe(graph.stages.length);

    await mkdir(ARTIFACTS, { recursive: true });
    const shot = await page.screenshot({ path: join(ARTIFACTS, "graph-view.png"), fullPage: true });
    // The pixels of a finished stage's state bar are the "done" colour.
    const seg = await page.locator('#graph .stage[data-stage="agg-final"] .seg.memory').boundingBox();
    expect(seg).not.toBeNull();
    const { x, y, width, height } = seg as { x: number; y: number; width: number; height: number };
    expect(near(await pixel(shot, x + width / 2, y + height / 2), DONE_RGB)).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("shows a running stage in the running colour while its tasks execute, then done", async () => {
    if (missing !== null) throw new Error(missing);
    const c = cluster as InProcessCluster;
    const tasks = Array.from({ length: 16 }, (_, i) => ({ key: `nap-${i}`, op: "sleep", args: { ms: 250, value: i }, deps: [], label: { name: "nap", partition: i } }));
    const graph = { tasks: [...tasks, { key: "sum", op: "sum-inputs", args: 0, deps: tasks.map((t) => t.key), label: { name: "sum" } }], outputs: ["sum"] };
    const running = c.run(graph);
    const page = await (context as BrowserContext).newPage();
    await page.goto(new URL("graph?job=in-process/job-2", c.dashboardUrl as string).href);
    await page.waitForSelector('#graph .stage[data-stage="nap"][data-state="running"] .seg.processing');
    const shot = await page.screenshot();
    const seg = await page.locator('#graph .stage[data-stage="nap"] .seg.processing').boundingBox();
    const { x, y, width, height } = seg as { x: number; y: number; width: number; height: number };
    expect(near(await pixel(shot, x + width / 2, y + height / 2), RUNNING_RGB)).toBe(true);
    expect(await page.locator("#explain").textContent()).toContain("no plan was sent");
    expect((await running).get("sum")).toBe((15 * 16) / 2);
    await page.waitForSelector('#graph .stage[data-stage="sum"][data-state="done"]');
    await page.close();
  });
});
