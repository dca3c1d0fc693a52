// A terminal progress bar for long jobs: tasks done / total, elapsed time and an ETA, redrawn in place.
import type { Progress } from "@tessera/client";

const WIDTH = 30;

function fmt(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

/** Returns a progress callback drawing on stderr; silent for jobs that finish within a second. */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): (p: Progress) => void {
  let last = 0;
  return (p) => {
    if (p.elapsedMs < 1000 && p.done < p.total) return;
    if (p.done < p.total && p.elapsedMs - last < 100) return;
    last = p.elapsedMs;
    const frac = p.total === 0 ? 1 : p.done / p.total;
    const filled = Math.round(frac * WIDTH);
    const eta = p.done > 0 && p.done < p.total ? ` eta ${fmt((p.elapsedMs / p.done) * (p.total - p.done))}` : "";
    stream.write(`\r[${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}] ${p.done}/${p.total} tasks ${fmt(p.elapsedMs)}${eta}   `);
    if (p.done >= p.total) stream.write("\n");
  };
}
