// Peak resident memory of this process over an interval: Linux's VmHWM reset through /proc/self/clear_refs, else sampling.
import { readFileSync, writeFileSync } from "node:fs";

function statusKb(field: string): number | null {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync("/proc/self/status", "utf8"));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export class PeakRss {
  private sampled = 0;
  private timer: NodeJS.Timeout | null = null;
  readonly method: "vmhwm" | "sampling";

  constructor() {
    this.method = PeakRss.canResetHwm() ? "vmhwm" : "sampling";
  }

  private static canResetHwm(): boolean {
    try {
      writeFileSync("/proc/self/clear_refs", "5");
      return statusKb("VmHWM") !== null;
    } catch {
      return false;
    }
  }

  /** Starts a new interval: the peak is measured from now. */
  reset(): void {
    if (this.method === "vmhwm") {
      writeFileSync("/proc/self/clear_refs", "5");
      return;
    }
    this.sampled = process.memoryUsage.rss();
    this.timer ??= setInterval(() => { this.sampled = Math.max(this.sampled, process.memoryUsage.rss()); }, 10).unref();
  }

  /** The peak RSS in bytes since the last reset. */
  peak(): number {
    const now = process.memoryUsage.rss();
    if (this.method === "vmhwm") return Math.max(statusKb("VmHWM") ?? now, now);
    this.sampled = Math.max(this.sampled, now);
    return this.sampled;
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
