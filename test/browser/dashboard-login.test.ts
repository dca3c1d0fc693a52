// The dashboard of a cluster with a token, in headless Chromium: the page sends the browser to the login form; after
// signing in with the token it shows the cluster; the session cookie is invisible to scripts (HttpOnly).
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DashboardServer } from "@tessera/scheduler";
import { InProcessCluster } from "@tessera/cluster";

const CHROMIUM = process.env["TESSERA_CHROMIUM"] ?? "/usr/bin/chromium";
const ARTIFACTS = fileURLToPath(new URL("../../test-artifacts/", import.meta.url));
const TOKEN = "browser-login-token";

describe("dashboard sign-in in headless Chromium", () => {
  let cluster: InProcessCluster | undefined;
  let dashboard: DashboardServer | undefined;
  let context: BrowserContext | null = null;
  let profile: string | null = null;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) return;
    cluster = await InProcessCluster.start({ workers: 2, threads: 0, heartbeatMs: 100 });
    dashboard = await DashboardServer.start({ source: cluster.scheduler, port: 0, token: TOKEN });
    profile = await mkdtemp(join(tmpdir(), "tessera-chromium-login-"));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-sync", "--disable-dev-shm-usage"],
      viewport: { width: 1280, height: 800 },
      timeout: 60_000,
    });
  });

  afterAll(async () => {
    await context?.close();
    await dashboard?.close();
    await cluster?.close();
    if (profile !== null) await rm(profile, { recursive: true, force: true });
  });

  it("sends the browser to the login form, refuses a wrong token, and shows the cluster after the right one", async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install -y chromium, or set TESSERA_CHROMIUM)`);
    const page = await (context as BrowserContext).newPage();
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    await page.goto((dashboard as DashboardServer).url);
    expect(new URL(page.url()).pathname).toBe("/login");

    await page.fill("#token", "not-the-token");
    await page.click("button[type=submit]");
    await page.waitForSelector(".login-error");
    expect(new URL(page.url()).pathname).toBe("/login");
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, "dashboard-login.png") });

    await page.fill("#token", TOKEN);
    await page.click("button[type=submit]");
    await page.waitForSelector('#conn[data-state="live"]');
    expect(new URL(page.url()).pathname).toBe("/");
    for (const w of ["worker-0", "worker-1"]) await page.waitForSelector(`#workers tbody tr[data-worker="${w}"]`);
    expect(await page.locator("#sum-workers").innerText()).toBe("2");
    // The session cookie is HttpOnly: no script on the page can read it.
    expect(await page.evaluate(() => (globalThis as unknown as { document: { cookie: string } }).document.cookie)).toBe("");
    const cookies = await (context as BrowserContext).cookies();
    expect(cookies.map((c) => [c.name, c.httpOnly, c.sameSite])).toEqual([["tessera_session", true, "Strict"]]);
    await page.screenshot({ path: join(ARTIFACTS, "dashboard-after-login.png") });
    expect(problems).toEqual([]);
  });
});
