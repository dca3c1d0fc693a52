// Peak resident memory of this process over an interval: Linux's VmHWM reset through /proc/<pid>/clear_refs, else
// sampling. Processes this one started (a LocalCluster's scheduler and workers) are counted too: each one's VmHWM is
// reset with ours and their peaks are added to ours (an upper bound of the peak of the sum).
import { readdirSync, readFileSync, writeFileSync } from "node:fs";

function statusKb(field: string, pid: number | "self" = "self"): number | null {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Every live descendant of this process (Linux: from each /proc/<pid>/stat's parent pid); [] elsewhere. */
export function descendantPids(root: number = process.pid): number[] {
  const children = new Map<number, number[]>();
  let entries: string[];
  try { entries = readdirSync("/proc"); } catch { return []; }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, "utf8");
      // pid (comm) state ppid ...: comm may hold spaces and parentheses, so read after the last ")".
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(e));
      children.set(ppid, list);
    } catch { /* exited meanwhile */ }
  }
  const out: number[] = [];
  const stack = [...(children.get(root) ?? [])];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
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

  private static descendantsRss(field: "VmHWM" | "VmRSS"): number {
    let sum = 0;
    for (const pid of descendantPids()) sum += statusKb(field, pid) ?? 0;
    return sum;
  }

  /** Starts a new interval: the peak is measured from now. */
  reset(): void {
    if (this.method === "vmhwm") {
      writeFileSync("/proc/self/clear_refs", "5");
      for (const pid of descendantPids()) {
        try { writeFileSync(`/proc/${pid}/clear_refs`, "5"); } catch { /* exited, or not ours */ }
      }
      return;
    }
    this.sampled = process.memoryUsage.rss();
    this.timer ??= setInterval(() => { this.sampled = Math.max(this.sampled, process.memoryUsage.rss()); }, 10).unref();
  }

  /** The peak RSS in bytes since the last reset (this process's, plus its descendants' peaks). */
  peak(): number {
    const now = process.memoryUsage.rss();
    if (this.method === "vmhwm") return Math.max(statusKb("VmHWM") ?? now, now) + PeakRss.descendantsRss("VmHWM");
    this.sampled = Math.max(this.sampled, now);
    return this.sampled;
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
