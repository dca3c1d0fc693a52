// Cutting a grid into chunk windows that are whole multiples of the file's internal blocks (tiles or strips).
import { PlanError } from "@tessera/common";
import type { Grid } from "./grid.js";
import type { Window } from "./window.js";

/** A file's internal block: a tile, or for striped files a strip (the full width × rows per strip). */
export interface BlockShape {
  readonly blockWidth: number;
  readonly blockHeight: number;
}

/**
 * Chunk width and height for a wanted `chunkSize`: each the multiple of the block dimension nearest to it (at least
 * one block), so a chunk never needs part of a block that another chunk also decodes. A strip's width is the whole
 * row, so striped files chunk by rows only.
 */
export function chunkShape(block: BlockShape, chunkSize: number): { width: number; height: number } {
  if (!(chunkSize > 0)) throw new PlanError("RASTER_BAD_CHUNK_SIZE", `chunkSize must be positive, got ${chunkSize}`);
  const along = (b: number): number => Math.max(1, Math.round(chunkSize / b)) * b;
  return { width: along(block.blockWidth), height: along(block.blockHeight) };
}

/** Chunk windows covering the grid in row-major order; the last column and row are clipped to the grid. */
export function chunkWindows(g: Grid, block: BlockShape, chunkSize: number): Window[] {
  const { width, height } = chunkShape(block, chunkSize);
  const out: Window[] = [];
  for (let y = 0; y < g.height; y += height) {
    for (let x = 0; x < g.width; x += width) {
      out.push({ x, y, width: Math.min(width, g.width - x), height: Math.min(height, g.height - y) });
    }
  }
  return out;
}

/** Blocks (column, row in the block grid) that a window touches, row-major. */
export function blocksOfWindow(w: Window, block: BlockShape): { col: number; row: number }[] {
  const out: { col: number; row: number }[] = [];
  if (w.width <= 0 || w.height <= 0) return out;
  const c0 = Math.floor(w.x / block.blockWidth);
  const c1 = Math.floor((w.x + w.width - 1) / block.blockWidth);
  const r0 = Math.floor(w.y / block.blockHeight);
  const r1 = Math.floor((w.y + w.height - 1) / block.blockHeight);
  for (let row = r0; row <= r1; row++) for (let col = c0; col <= c1; col++) out.push({ col, row });
  return out;
}
