// The runs under an output root as the map page sees them: their features, timestamps, tiles, and where their regions are.
import { IoError } from "@tessera/common";
import type { ObjectStore } from "@tessera/io";
import { normalizeUrl, storeFor } from "@tessera/io";

/** Region columns, coarse to fine (the Causemos layout). */
const LEVELS = ["country", "admin1", "admin2", "admin3"] as const;
const TILE = /^(month|year)\/(.+)\/tiles\/(-?\d+)-(\d+)-(\d+)-(\d+)\.tile$/;
const GRID = /^(month|year)\/(.+)\/stats\/grid\/(-?\d+)\.csv$/;
const REGIONAL = /^(month|year)\/(.+)\/regional\/([^/]+)\/timeseries\/default\/.+\.csv$/;
const RAW = /^raw\/(.+)\/raw\/raw\.csv$/;

/** One run (`{model_id}/{run_id}` under the root) and what the map can show of it. */
export interface RunInfo {
  readonly id: string;
  /** results.json is there (it is written last: the run finished). */
  readonly finished: boolean;
  readonly features: readonly string[];
  /** Per resolution and feature, the timestamps (epoch ms) that have tiles or grid stats, ascending. */
  readonly timestamps: Readonly<Record<string, Readonly<Record<string, readonly number[]>>>>;
  /** Levels that have regional time series (by column name, Q13). */
  readonly levels: readonly string[];
  readonly hasTiles: boolean;
  /** Whether a click can be placed in a region (the run has raw.csv rows with coordinates). */
  readonly locatesRegions: boolean;
}

interface RunEntry {
  info: RunInfo;
  /** Every object key of the run (relative to the run), for reads. */
  readonly keys: Set<string>;
  /** `${res}\u0000${feature}\u0000${t}\u0000${z}` → tiles [x, y] at that zoom. */
  readonly tiles: Map<string, [number, number][]>;
  readonly raw: string[];
  points?: Promise<RegionPoint[]>;
}

/** A point of the run with its region names (validated spelling: missing as "None", "//" removed). */
interface RegionPoint {
  readonly lat: number;
  readonly lng: number;
  readonly names: Readonly<Record<string, string>>;
}

/** Where a clicked place falls: the nearest point's regions and their ids at each level present. */
export interface RegionHit {
  readonly lat: number;
  readonly lng: number;
  readonly distanceKm: number;
  readonly names: Readonly<Record<string, string>>;
  /** Level (column name) → region id as the regional time series name it (by column depth, absent levels "None"). */
  readonly ids: Readonly<Record<string, string>>;
}

function csvRecords(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { row.push(field); field = ""; }
    else if (c === "\n") { row.push(field); rows.push(row); row = []; field = ""; }
    else if (c !== "\r") field += c;
  }
  if (field !== "" || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}

/**
 * Lists an output root (file://, s3://, ...) and indexes the Causemos runs in it; the listing is reused for
 * `ttlMs`. Reads only objects it listed, by their listed keys (a request never makes a path).
 */
export class RunCatalog {
  private readonly root: string;
  private readonly store: ObjectStore;
  private cache: { at: number; runs: Map<string, RunEntry> } | null = null;
  private loading: Promise<Map<string, RunEntry>> | null = null;

  constructor(root: string, private readonly ttlMs = 10_000) {
    const base = normalizeUrl(root);
    this.root = base.endsWith("/") ? base : `${base}/`;
    this.store = storeFor(this.root);
  }

  /** The runs, finished ones first, then by id. */
  async runs(refresh = false): Promise<RunInfo[]> {
    return [...(await this.index(refresh)).values()].map((e) => e.info).sort((a, b) => (a.finished === b.finished ? a.id.localeCompare(b.id) : a.finished ? -1 : 1));
  }

  /** The tiles [x, y] a run has for one feature, resolution, timestamp and zoom. */
  async tiles(run: string, res: string, feature: string, t: number, z: number): Promise<[number, number][]> {
    return (await this.entry(run)).tiles.get(`${res}\u0000${feature}\u0000${t}\u0000${z}`) ?? [];
  }

  /** An object of a run, by its key relative to the run; IoError IO_NOT_FOUND unless the listing has it. */
  async read(run: string, key: string): Promise<Uint8Array> {
    const e = await this.entry(run);
    if (!e.keys.has(key)) throw new IoError("IO_NOT_FOUND", `run ${run} has no object ${key}`, { run, key });
    return this.store.get(`${this.root}${run}/${key}`);
  }

  /** The region of the run's point nearest to (lat, lng), from its raw.csv rows; null when it has none. */
  async regionAt(run: string, lat: number, lng: number): Promise<RegionHit | null> {
    const e = await this.entry(run);
    e.points ??= this.loadPoints(run, e.raw);
    const points = await e.points;
    let best: RegionPoint | null = null;
    let bestD = Infinity;
    const k = Math.cos((lat * Math.PI) / 180);
    for (const p of points) {
      const dx = (p.lng - lng) * k, dy = p.lat - lat;
      const d = dx * dx + dy * dy;
      if (d < bestD) { bestD = d; best = p; }
    }
    if (best === null) return null;
    const present = LEVELS.filter((l) => best.names[l] !== undefined);
    const ids: Record<string, string> = {};
    for (const l of present) {
      const depth = LEVELS.indexOf(l);
      ids[l] = LEVELS.slice(0, depth + 1).map((x) => best.names[x] ?? "None").join("__");
    }
    return { lat: best.lat, lng: best.lng, distanceKm: Math.sqrt(bestD) * 111.32, names: best.names, ids };
  }

  private async entry(run: string): Promise<RunEntry> {
    const e = (await this.index(false)).get(run);
    if (e === undefined) throw new IoError("IO_NOT_FOUND", `no run ${run} under ${this.root}`, { run });
    return e;
  }

  private async index(refresh: boolean): Promise<Map<string, RunEntry>> {
    if (!refresh && this.cache !== null && Date.now() - this.cache.at < this.ttlMs) return this.cache.runs;
    this.loading ??= this.build().then((runs) => {
      this.cache = { at: Date.now(), runs };
      return runs;
    }).finally(() => { this.loading = null; });
    return this.loading;
  }

  private async build(): Promise<Map<string, RunEntry>> {
    const runs = new Map<string, RunEntry>();
    const prefix = this.root;
    for (const o of await this.store.list(prefix)) {
      const rel = o.url.slice(prefix.length);
      const parts = rel.split("/");
      if (parts.length < 4) continue;
      const id = `${parts[0]}/${parts[1]}`;
      const key = parts.slice(2).join("/");
      if (!/^(raw|results|month|year)$/.test(parts[2] as string)) continue;
      let e = runs.get(id);
      if (e === undefined) {
        e = { info: { id, finished: false, features: [], timestamps: {}, levels: [], hasTiles: false, locatesRegions: false }, keys: new Set(), tiles: new Map(), raw: [] };
        runs.set(id, e);
      }
      e.keys.add(key);
    }
    for (const e of runs.values()) e.info = this.describe(e);
    return runs;
  }

  private describe(e: RunEntry): RunInfo {
    const features = new Set<string>();
    const ts: Record<string, Record<string, Set<number>>> = {};
    const levels = new Set<string>();
    const add = (res: string, f: string, t: number): void => {
      features.add(f);
      ((ts[res] ??= {})[f] ??= new Set()).add(t);
    };
    let hasTiles = false;
    for (const key of e.keys) {
      let m = TILE.exec(key);
      if (m !== null) {
        const [, res, f, t, z, x, y] = m as unknown as [string, string, string, string, string, string, string];
        add(res, f, Number(t));
        hasTiles = true;
        const k = `${res}\u0000${f}\u0000${Number(t)}\u0000${Number(z)}`;
        const list = e.tiles.get(k) ?? [];
        list.push([Number(x), Number(y)]);
        e.tiles.set(k, list);
        continue;
      }
      if ((m = GRID.exec(key)) !== null) { add(m[1] as string, m[2] as string, Number(m[3])); continue; }
      if ((m = REGIONAL.exec(key)) !== null) { features.add(m[2] as string); levels.add(m[3] as string); continue; }
      if ((m = RAW.exec(key)) !== null) e.raw.push(key);
    }
    const timestamps = Object.fromEntries(Object.entries(ts).map(([res, byF]) => [res, Object.fromEntries(Object.entries(byF).map(([f, s]) => [f, [...s].sort((a, b) => a - b)]))]));
    return {
      id: e.info.id, finished: e.keys.has("results/results.json"), features: [...features].sort(), timestamps,
      levels: LEVELS.filter((l) => levels.has(l)), hasTiles, locatesRegions: e.raw.length > 0,
    };
  }

  private async loadPoints(run: string, raws: readonly string[]): Promise<RegionPoint[]> {
    const seen = new Set<string>();
    const points: RegionPoint[] = [];
    for (const key of raws) {
      const rows = csvRecords(new TextDecoder().decode(await this.read(run, key)));
      const header = rows[0] ?? [];
      const lat = header.indexOf("lat"), lng = header.indexOf("lng");
      if (lat < 0 || lng < 0) continue;
      const cols = LEVELS.map((l) => [l, header.indexOf(l)] as const).filter(([, i]) => i >= 0);
      for (const r of rows.slice(1)) {
        const y = Number(r[lat]), x = Number(r[lng]);
        if (r[lat] === "" || r[lng] === "" || !Number.isFinite(y) || !Number.isFinite(x)) continue;
        // Names as the pipeline validates them: a missing name is "None", "//" is deleted.
        const names = Object.fromEntries(cols.map(([l, i]) => [l, r[i] === "" || r[i] === undefined ? "None" : (r[i] as string).split("//").join("")]));
        const id = `${y},${x},${Object.values(names).join("\u0000")}`;
        if (seen.has(id)) continue;
        seen.add(id);
        points.push({ lat: y, lng: x, names });
      }
    }
    return points;
  }
}
