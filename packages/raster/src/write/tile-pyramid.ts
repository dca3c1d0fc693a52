// A tile pyramid's commit point: tiles are written in place as z/x/y objects, and a `_SUCCESS` manifest listing every
// tile is written last, so a reader that honours it never takes a half-written pyramid for a whole one.
import { IoError, isTesseraError } from "@tessera/common";
import { deleteObjects, joinUrl, MANIFEST_NAME, normalizeUrl, storeFor, verifyParts } from "@tessera/io";

/** One written tile: its path below the pyramid ("z/x/y.png") and its size. */
export interface TileFile {
  readonly path: string;
  readonly bytes: number;
}

/** What a committed pyramid holds. Invariant: every listed tile existed with exactly `bytes` bytes at commit. */
export interface TileManifest {
  readonly version: 1;
  readonly kind: "tiles";
  readonly format: "png" | "f32";
  readonly token: string;
  readonly minZoom: number;
  readonly maxZoom: number;
  readonly tiles: readonly TileFile[];
  readonly bytes: number;
}

const TILE_PATH = /^\d{1,2}\/\d{1,10}\/\d{1,10}\.(png|f32)$/;

export function makeTileManifest(a: { format: "png" | "f32"; token: string; minZoom: number; maxZoom: number }, tiles: readonly TileFile[]): TileManifest {
  const sorted = [...tiles].sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  return { version: 1, kind: "tiles", format: a.format, token: a.token, minZoom: a.minZoom, maxZoom: a.maxZoom, tiles: sorted, bytes: sorted.reduce((s, t) => s + t.bytes, 0) };
}

/** Checks that every tile exists with the size written (IO_COMMIT naming the pyramid and the tile otherwise). */
export async function verifyTiles(url: string, tiles: readonly TileFile[]): Promise<void> {
  await verifyParts(url, tiles.map((t) => ({ path: t.path, rows: 0, bytes: t.bytes })));
}

/** The pyramid's manifest, or null when there is none or it is not a tile manifest. */
export async function readTileManifest(url: string): Promise<TileManifest | null> {
  const at = joinUrl(normalizeUrl(url), MANIFEST_NAME);
  let bytes: Uint8Array;
  try {
    bytes = await storeFor(at).get(at);
  } catch (e) {
    if (isTesseraError(e) && e.code === "IO_NOT_FOUND") return null;
    throw e;
  }
  try {
    const m = JSON.parse(new TextDecoder().decode(bytes)) as Partial<TileManifest>;
    const ok = m.version === 1 && m.kind === "tiles" && Array.isArray(m.tiles)
      && m.tiles.every((t) => typeof t?.path === "string" && TILE_PATH.test(t.path) && Number.isSafeInteger(t.bytes));
    return ok ? (m as TileManifest) : null;
  } catch {
    return null;
  }
}

/**
 * Before tiles are written: removes the pyramid's manifest, so while tiles are being replaced in place nothing claims
 * the pyramid is whole. Returns the manifest it removed (its tiles may be deleted once the new one is published).
 */
export async function retractTiles(url: string): Promise<TileManifest | null> {
  const old = await readTileManifest(url);
  const at = joinUrl(normalizeUrl(url), MANIFEST_NAME);
  await storeFor(at).delete(at);
  return old;
}

/**
 * Publishes `m` as the pyramid's manifest (one put, last), then deletes the tiles of the `previous` pyramid that the
 * new one does not list (best effort: a tile left behind is not listed, so not part of the pyramid).
 */
export async function publishTiles(url: string, m: TileManifest, previous: TileManifest | null): Promise<void> {
  const root = normalizeUrl(url);
  const at = joinUrl(root, MANIFEST_NAME);
  try {
    await storeFor(at).put(at, new TextEncoder().encode(JSON.stringify(m, null, 1)));
  } catch (e) {
    throw new IoError("IO_COMMIT", `cannot publish the tile manifest of ${root}: ${e instanceof Error ? e.message : String(e)}`, { url: root });
  }
  const keep = new Set(m.tiles.map((t) => t.path));
  const stale = (previous?.tiles ?? []).filter((t) => !keep.has(t.path)).map((t) => joinUrl(root, t.path));
  await deleteObjects(stale).catch(() => undefined);
}
