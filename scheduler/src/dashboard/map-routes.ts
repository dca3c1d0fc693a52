// The map page's routes: /map (the page and its scripts) and /api/map/* (runs, tiles, objects, regions), read-only.
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { InternalError, isTesseraError } from "@tessera/common";
import { RunCatalog } from "./run-catalog.js";

/** The page and its assets live in scheduler/static/map (beside the dashboard's). */
const STATIC_DIR = fileURLToPath(new URL("../../static/map/", import.meta.url));

const ASSETS: Readonly<Record<string, { readonly file: string; readonly type: string }>> = {
  "/map": { file: "index.html", type: "text/html; charset=utf-8" },
  "/map/map.js": { file: "map.js", type: "text/javascript; charset=utf-8" },
  "/map/map.css": { file: "map.css", type: "text/css; charset=utf-8" },
  "/map/tile-decoder.js": { file: "tile-decoder.js", type: "text/javascript; charset=utf-8" },
  "/map/projection.js": { file: "projection.js", type: "text/javascript; charset=utf-8" },
  "/map/colors.js": { file: "colors.js", type: "text/javascript; charset=utf-8" },
};

const TYPES: Readonly<Record<string, string>> = {
  tile: "application/x-protobuf", csv: "text/csv; charset=utf-8", json: "application/json; charset=utf-8",
};

export type Send = (res: ServerResponse, status: number, type: string, body: string | Buffer, head: boolean) => void;

/** Whether a path is the map's (the dashboard hands those requests here). */
export function isMapPath(pathname: string): boolean {
  return pathname === "/map" || pathname.startsWith("/map/") || pathname.startsWith("/api/map/");
}

/**
 * Serves the map over the runs under `outputs` (null: no root configured; the page says so and the API answers 404).
 * Query values only select among what the catalog listed: a run id, a key of that run, numbers.
 */
export class MapRoutes {
  private readonly catalog: RunCatalog | null;
  private readonly assets = new Map<string, Promise<Buffer>>();

  constructor(outputs: string | null, private readonly send: Send) {
    this.catalog = outputs === null ? null : new RunCatalog(outputs);
  }

  private asset(file: string): Promise<Buffer> {
    let p = this.assets.get(file);
    if (p === undefined) {
      p = readFile(join(STATIC_DIR, file)).catch((e: unknown) => {
        throw new InternalError("DASHBOARD_ASSET_MISSING", `map asset ${file} could not be read: ${(e as Error).message}`, { file });
      });
      this.assets.set(file, p);
    }
    return p;
  }

  private json(res: ServerResponse, status: number, body: unknown, head: boolean): void {
    this.send(res, status, "application/json; charset=utf-8", JSON.stringify(body), head);
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL, head: boolean): Promise<void> {
    try {
      const asset = ASSETS[url.pathname];
      if (asset !== undefined) {
        this.send(res, 200, asset.type, await this.asset(asset.file), head);
        return;
      }
      if (!url.pathname.startsWith("/api/map/")) {
        this.send(res, 404, "text/plain; charset=utf-8", "not found\n", head);
        return;
      }
      const c = this.catalog;
      if (c === null) {
        this.json(res, 404, { error: "this dashboard has no output root (tessera scheduler --outputs URL, or tessera map URL)" }, head);
        return;
      }
      const q = url.searchParams;
      const run = q.get("run") ?? "";
      const num = (name: string): number => {
        const v = Number(q.get(name));
        if (q.get(name) === null || !Number.isFinite(v)) throw Object.assign(new Error(`query parameter ${name} must be a number`), { status: 400 });
        return v;
      };
      switch (url.pathname) {
        case "/api/map/runs":
          this.json(res, 200, { runs: await c.runs(q.get("refresh") === "1") }, head);
          return;
        case "/api/map/tiles":
          this.json(res, 200, { tiles: await c.tiles(run, q.get("res") ?? "", q.get("feature") ?? "", num("t"), num("z")) }, head);
          return;
        case "/api/map/object": {
          const key = q.get("key") ?? "";
          const ext = key.slice(key.lastIndexOf(".") + 1);
          const type = TYPES[ext];
          if (type === undefined) { this.json(res, 404, { error: "the map reads .tile, .csv and .json objects only" }, head); return; }
          this.send(res, 200, type, Buffer.from(await c.read(run, key)), head);
          return;
        }
        case "/api/map/region": {
          const hit = await c.regionAt(run, num("lat"), num("lng"));
          if (hit === null) this.json(res, 404, { error: `run ${run} has no raw.csv rows with coordinates to place regions` }, head);
          else this.json(res, 200, hit, head);
          return;
        }
        default:
          this.json(res, 404, { error: "not found" }, head);
      }
    } catch (e) {
      const status = (e as { status?: number }).status ?? (isTesseraError(e) && e.code === "IO_NOT_FOUND" ? 404 : 500);
      this.json(res, status, { error: e instanceof Error ? e.message : String(e) }, head);
    }
  }
}
