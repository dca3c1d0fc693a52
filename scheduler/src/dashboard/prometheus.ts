// Formats a cluster status in the Prometheus text exposition format (version 0.0.4) for /metrics.
import type { ClusterStatus, JobState } from "./status-types.js";

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

type MetricType = "gauge" | "counter";
type Labels = Readonly<Record<string, string>>;

/** Escapes a label value: backslash, double quote and newline (as the format requires). */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** Prometheus sample values: integers as they are, other numbers in JS notation, NaN/±Inf spelled as the format wants. */
function formatValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Number.POSITIVE_INFINITY) return "+Inf";
  if (v === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(v);
}

class Exposition {
  private readonly lines: string[] = [];

  /** One metric family: its HELP and TYPE lines, then one sample per entry. */
  family(name: string, type: MetricType, help: string, samples: readonly (readonly [Labels, number])[]): void {
    this.lines.push(`# HELP ${name} ${help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) {
      const entries = Object.entries(labels);
      const l = entries.length === 0 ? "" : `{${entries.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(",")}}`;
      this.lines.push(`${name}${l} ${formatValue(value)}`);
    }
  }

  toString(): string {
    return `${this.lines.join("\n")}\n`;
  }
}

const JOB_STATES: readonly JobState[] = ["running", "done", "erred", "cancelled"];

/** The /metrics body. Workers that never reported spilled bytes have no tessera_worker_spilled_bytes sample. */
export function formatPrometheus(s: ClusterStatus): string {
  const x = new Exposition();
  const perWorker = (value: (w: ClusterStatus["workers"][number]) => number | null): [Labels, number][] =>
    s.workers.flatMap((w) => {
      const v = value(w);
      return v === null ? [] : [[{ worker: w.id }, v] as [Labels, number]];
    });
  x.family("tessera_workers", "gauge", "Workers connected to the scheduler.", [[{}, s.workers.length]]);
  x.family("tessera_worker_threads", "gauge", "Threads of each worker.", perWorker((w) => w.nthreads));
  x.family("tessera_worker_memory_bytes", "gauge", "Bytes held in each worker's store (last heartbeat; results known to the scheduler before the first).",
    perWorker((w) => w.memory ?? w.heldBytes));
  x.family("tessera_worker_memory_limit_bytes", "gauge", "Bytes each worker may hold before it spills or pauses.", perWorker((w) => w.memoryLimit));
  x.family("tessera_worker_spilled_bytes", "gauge", "Bytes each worker spilled to disk (workers whose store spills).", perWorker((w) => w.spilled));
  x.family("tessera_worker_fetched_bytes_total", "counter", "Bytes each worker received from peers (data moved between workers).", perWorker((w) => w.fetchedBytes));
  x.family("tessera_worker_paused", "gauge", "1 while a worker starts no tasks because its memory is past the pause fraction.",
    perWorker((w) => (w.paused ? 1 : 0)));
  x.family("tessera_worker_processing_tasks", "gauge", "Tasks assigned to each worker and not finished.", perWorker((w) => w.processing));
  x.family("tessera_tasks", "gauge", "Tasks the scheduler holds, by state.",
    Object.entries(s.tasks).map(([state, n]) => [{ state }, n] as [Labels, number]));
  x.family("tessera_tasks_finished_total", "counter", "Task runs that finished since the scheduler started.", [[{}, s.tasksFinishedTotal]]);
  x.family("tessera_tasks_erred_total", "counter", "Task runs that failed since the scheduler started.", [[{}, s.tasksErredTotal]]);
  x.family("tessera_tasks_recomputed_total", "counter", "Tasks run again because a result held before was lost.", [[{}, s.tasksRecomputedTotal]]);
  x.family("tessera_jobs", "gauge", "Jobs by state: running now; done, erred and cancelled since the scheduler started.",
    JOB_STATES.map((state) => [{ state }, s.jobCounts[state]] as [Labels, number]));
  x.family("tessera_uptime_seconds", "gauge", "Seconds since the scheduler started.", [[{}, Math.max(0, (s.time - s.startedAt) / 1000)]]);
  return x.toString();
}
