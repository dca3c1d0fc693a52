// The map page in headless Chromium: a Causemos run's tiles decoded and drawn in the browser (a known bin's colour at
// its place in a screenshot), a click charting the nearest region's time series; behind the dashboard's token.
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DashboardServer } from "@tessera/scheduler";
import { generateModelOutput, runCausemos } from "@tessera/causemos";
import { tempDir } from "../support/files.js";
import { pixelAt, readPng } from "../support/png.js";

const CHROMIUM = process.env["TESSERA_CHROMIUM"] ?? "/usr/bin/chromium";
const ARTIFACTS = fileURLToPath(new URL("../../test-artifacts/", import.meta.url));
const STATIC = new URL("../../scheduler/static/map/", import.meta.url);
const TOKEN = "map-page-token";
const RUN = "model-a/run-1";

/** The page's own modules, loaded here to work out where a bin lands and what colour it gets. */
interface Modules {
  decodeTile(bytes: Uint8Array): { coord: { x: number; y: number; z: number }; bins: Map<number, { s_sum_t_mean: number; weight: number }> };
  toPixel(x: number, y: number, view: { cx: number; cy: number; width: number; height: number }): { px: number; py: number };
  binOrigin(x: number, y: number, bin: number, binLevel: number): { x: number; y: number };
  colorOf(v: number, min: number, max: number): [number, number, number];
}

async function modules(): Promise<Modules> {
  const load = async (f: string): Promise<Record<string, unknown>> => (await import(pathToFileURL(fileURLToPath(new URL(f, STATIC))).href)) as Record<string, unknown>;
  return { ...(await load("tile-decoder.js")), ...(await load("projection.js")), ...(await load("colors.js")) } as unknown as Modules;
}

describe("map page in headless Chromium", () => {
  let out = "";
  let dashboard: DashboardServer | undefined;
  let context: BrowserContext | null = null;
  let profile: string | null = null;
  const missing = existsSync(CHROMIUM) ? null : `Chromium not found at ${CHROMIUM} (apt-get install -y chromium, or set TESSERA_CHROMIUM)`;

  beforeAll(async () => {
    out = tempDir("map");
    const input = join(out, "input");
    await generateModelOutput({ points: 400, features: ["rain", "heat"], months: 2, perMonth: 1, seed: 5, censusFeature: "population" }).sinkParquet(input, { progress: false });
    const [model, run] = RUN.split("/") as [string, string];
    await runCausemos({ model_id: model, run_id: run, data_paths: [input] }, { out: join(out, "runs") });
    dashboard = await DashboardServer.start({ port: 0, outputs: join(out, "runs"), token: TOKEN });
    if (missing !== null) return;
    profile = await mkdtemp(join(tmpdir(), "tessera-chromium-map-"));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: true, viewport: { width: 1440, height: 900 }, timeout: 60_000,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-sync", "--disable-dev-shm-usage"],
      extraHTTPHeaders: { authorization: `Bearer ${TOKEN}` },
    });
  });

  afterAll(async () => {
    await context?.close();
    await dashboard?.close();
    if (profile !== null) await rm(profile, { recursive: true, force: true });
  });

  it("is behind the token like the rest of the dashboard, and reads only listed objects", async () => {
    const base = (dashboard as DashboardServer).url;
    expect((await fetch(new URL("/api/map/runs", base))).status).toBe(401);
    const auth = { headers: { authorization: `Bearer ${TOKEN}` } };
    const runs = (await (await fetch(new URL("/api/map/runs", base), auth)).json()) as { runs: { id: string; finished: boolean; features: string[] }[] };
    expect(runs.runs.map((r) => [r.id, r.finished])).toEqual([[RUN, true]]);
    expect(runs.runs[0]!.features).toEqual(["heat", "population", "rain"]);
    for (const key of ["../../../etc/passwd", "raw/heat/raw/../../../../x.csv", "results/results.json/../x.json"]) {
      expect((await fetch(new URL(`/api/map/object?run=${encodeURIComponent(RUN)}&key=${encodeURIComponent(key)}`, base), auth)).status).toBe(404);
    }
    expect((await fetch(new URL(`/api/map/object?run=..%2F..&key=results%2Fresults.json`, base), auth)).status).toBe(404);
  });

  it("draws the first feature's tiles (a known bin in its colour at its place) and charts a clicked region", async () => {
    if (missing !== null) throw new Error(missing);
    const m = await modules();
    const page: Page = await (context as BrowserContext).newPage();
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (msg) => { if (msg.type() === "error") problems.push(`console error: ${msg.text()}`); });
    const z = 5;
    await page.goto(new URL(`/map?z=${z}`, (dashboard as DashboardServer).url).href);
    const canvas = page.locator('#map[data-state="ready"]');
    await canvas.waitFor({ timeout: 60_000 });
    // The page's view as it reports it on the canvas (data-* attributes) and the canvas' size.
    const d = await canvas.evaluate((el): Record<string, string> & { width: number; height: number } => {
      const c = el as unknown as { dataset: Record<string, string>; width: number; height: number };
      return Object.assign({ ...c.dataset }, { width: c.width, height: c.height });
    });
    expect(d["zoom"]).toBe(String(z));
    const t = Number(d["time"]);
    // The scale is the grid stats' range of bin means at cell level z + 6.
    const grid = readFileSync(join(out, "runs", RUN, `month/heat/stats/grid/${t}.csv`), "utf8").trim().split("\n").map((l) => l.split(","));
    const level = grid.find((r) => r[0] === String(z + 6))!;
    expect(Number(d["scaleMin"])).toBe(Number(level[grid[0]!.indexOf("min_s_mean_t_mean")]));
    expect(Number(d["scaleMax"])).toBe(Number(level[grid[0]!.indexOf("max_s_mean_t_mean")]));

    await mkdir(ARTIFACTS, { recursive: true });
    const shot = readPng(await page.screenshot({ path: join(ARTIFACTS, "map.png"), fullPage: true }));
    const box = (await canvas.boundingBox())!;
    const view = { cx: Number(d["centerX"]), cy: Number(d["centerY"]), width: d.width, height: d.height };
    // Every bin of every drawn tile, read back from the screenshot at its centre, has the colour of its mean.
    const dir = join(out, "runs", RUN, "month/heat/tiles");
    let checked = 0;
    for (const name of (await import("node:fs")).readdirSync(dir).filter((f) => f.startsWith(`${t}-${z}-`))) {
      const tile = m.decodeTile(new Uint8Array(readFileSync(join(dir, name))));
      for (const [bin, s] of tile.bins) {
        if (!(s.weight > 0)) continue; // a bin whose points had no values has no mean: not drawn
        const o = m.binOrigin(tile.coord.x, tile.coord.y, bin, 6);
        const { px, py } = m.toPixel(o.x, o.y, view);
        if (px < 0 || py < 0 || px + 4 > view.width || py + 4 > view.height) continue;
        const want = m.colorOf(s.s_sum_t_mean / s.weight, Number(d["scaleMin"]), Number(d["scaleMax"]));
        const got = pixelAt(shot, box.x + Math.round(px) + 2, box.y + Math.round(py) + 2);
        expect(got.map((c, k) => Math.abs(c - want[k]!)).every((x) => x <= 2), `bin ${bin} of ${name}: ${got} vs ${want}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
    expect(Number(d["bins"])).toBeGreaterThanOrEqual(checked);

    // A click on a drawn bin: the nearest point's admin1 region, its time series charted.
    const tile = m.decodeTile(new Uint8Array(readFileSync(join(dir, (await import("node:fs")).readdirSync(dir).find((f) => f.startsWith(`${t}-${z}-`))!))));
    const [bin] = [...tile.bins].find(([, s]) => s.weight > 0)!;
    const o = m.binOrigin(tile.coord.x, tile.coord.y, bin!, 6);
    const { px, py } = m.toPixel(o.x, o.y, view);
    await page.mouse.click(box.x + px + 2, box.y + py + 2);
    const chart = page.locator("#chart[data-points]");
    await chart.waitFor({ timeout: 30_000 });
    const region = await chart.getAttribute("data-region");
    const lists = JSON.parse(readFileSync(join(out, "runs", RUN, "raw/heat/info/region_lists.json"), "utf8")) as { admin1: string[] };
    expect(lists.admin1).toContain(region);
    const series = readFileSync(join(out, "runs", RUN, `month/heat/regional/admin1/timeseries/default/${region}.csv`), "utf8").trim().split("\n");
    expect(await chart.getAttribute("data-points")).toBe(String(series.length - 1));
    await page.screenshot({ path: join(ARTIFACTS, "map.png"), fullPage: true });
    expect(problems).toEqual([]);
  });
});
