// A terminal progress bar for long jobs: the plan stage under way, tasks done / total, bytes read, elapsed time and an ETA.
import type { Progress } from "@tessera/client";

const WIDTH = 24;

function fmt(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

function size(n: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i++;
  }
  return `${i === 0 ? n : n.toFixed(n < 10 ? 1 : 0)} ${units[i]}`;
}

/**
 * One line for a progress report: `[#####-----] stage 2/4 agg-final 3/8 · 120/400 tasks · read 1.2 MB · 12s eta 5s`.
 * The stage shown is the first (in plan order) not finished; "read" is the bytes the plan's scan stages produced.
 */
export function formatProgress(p: Progress): string {
  const frac = p.total === 0 ? 1 : p.done / p.total;
  const filled = Math.round(frac * WIDTH);
  const parts = [`[${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}]`];
  const stages = p.stages ?? [];
  if (stages.length > 1) {
    const i = stages.findIndex((s) => s.done < s.total);
    const current = stages[i < 0 ? stages.length - 1 : i];
    if (current !== undefined) parts.push(`stage ${(i < 0 ? stages.length - 1 : i) + 1}/${stages.length} ${current.name} ${current.done}/${current.total} ·`);
  }
  parts.push(`${p.done}/${p.total} tasks`);
  const read = stages.filter((s) => s.name.startsWith("scan-")).reduce((n, s) => n + s.nbytes, 0);
  if (read > 0) parts.push(`· read ${size(read)}`);
  parts.push(`· ${fmt(p.elapsedMs)}`);
  if (p.done > 0 && p.done < p.total) parts.push(`eta ${fmt((p.elapsedMs / p.done) * (p.total - p.done))}`);
  return parts.join(" ");
}

/** Returns a progress callback drawing on `stream` (stderr); silent for jobs that finish within a second. */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): (p: Progress) => void {
  let last = 0;
  let width = 0;
  return (p) => {
    if (p.elapsedMs < 1000 && p.done < p.total) return;
    if (p.done < p.total && p.elapsedMs - last < 100) return;
    last = p.elapsedMs;
    const line = formatProgress(p);
    // Pad over a longer previous line, so nothing of it is left on screen.
    stream.write(`\r${line.padEnd(width)}`);
    width = line.length;
    if (p.done >= p.total) stream.write("\n");
  };
}
