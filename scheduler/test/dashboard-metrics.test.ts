// The /metrics body: Prometheus text exposition format from a cluster status.
import { describe, expect, it } from "vitest";
import { escapeLabelValue, formatPrometheus } from "@tessera/scheduler";
import type { ClusterStatus } from "@tessera/scheduler";
import { sampleStatus } from "./dashboard-fixture.js";

/** Parses samples out of an exposition: name{labels} -> value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const i = line.lastIndexOf(" ");
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

describe("formatPrometheus", () => {
  it("writes every family with HELP and TYPE, then its samples", () => {
    const text = formatPrometheus(sampleStatus());
    expect(text.endsWith("\n")).toBe(true);
    const s = samples(text);
    expect(s.get("tessera_workers")).toBe(2);
    expect(s.get('tessera_worker_memory_bytes{worker="w1"}')).toBe(2048);
    // No heartbeat yet: the bytes the scheduler knows it holds.
    expect(s.get('tessera_worker_memory_bytes{worker="odd\\"\\\\\\nid"}')).toBe(64);
    expect(s.get('tessera_worker_spilled_bytes{worker="w1"}')).toBe(512);
    expect([...s.keys()].filter((k) => k.startsWith("tessera_worker_spilled_bytes"))).toHaveLength(1);
    expect(s.get('tessera_worker_fetched_bytes_total{worker="w1"}')).toBe(4096);
    expect(s.get('tessera_worker_threads{worker="w1"}')).toBe(2);
    expect(s.get('tessera_worker_paused{worker="w1"}')).toBe(1);
    expect(s.get('tessera_worker_memory_limit_bytes{worker="w1"}')).toBe(1 << 30);
    expect(s.get('tessera_tasks{state="processing"}')).toBe(4);
    expect(s.get('tessera_tasks{state="erred"}')).toBe(0);
    expect(s.has('tessera_tasks{state="forgotten"}')).toBe(false);
    expect(s.get("tessera_tasks_finished_total")).toBe(123);
    expect(s.get("tessera_tasks_erred_total")).toBe(1);
    expect(s.get('tessera_jobs{state="running"}')).toBe(1);
    expect(s.get('tessera_jobs{state="done"}')).toBe(3);
    expect(s.get('tessera_jobs{state="cancelled"}')).toBe(0);
    expect(s.get("tessera_uptime_seconds")).toBe(42);

    for (const name of ["tessera_workers", "tessera_worker_memory_bytes", "tessera_worker_spilled_bytes", "tessera_tasks", "tessera_jobs"]) {
      expect(text).toContain(`# TYPE ${name} gauge\n`);
      expect(text).toMatch(new RegExp(`^# HELP ${name} \\S`, "m"));
    }
    expect(text).toContain("# TYPE tessera_tasks_finished_total counter\n");
  });

  it("keeps each family's lines together, HELP then TYPE first, and every line well-formed", () => {
    const lines = formatPrometheus(sampleStatus()).trimEnd().split("\n");
    const seen = new Set<string>();
    let current = "";
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as string;
      if (line.startsWith("# HELP ")) {
        current = line.split(" ")[2] as string;
        expect(seen.has(current)).toBe(false);
        seen.add(current);
        expect(lines[i + 1]).toMatch(new RegExp(`^# TYPE ${current} (gauge|counter)$`));
        continue;
      }
      if (line.startsWith("# TYPE ")) continue;
      expect(line).toMatch(/^[a-z_]+(\{([a-z_]+="([^"\\\n]|\\["\\n])*",?)+\})? -?[0-9.e+]+$/);
      expect(line.startsWith(current)).toBe(true);
    }
  });

  it("escapes label values", () => {
    expect(escapeLabelValue('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
  });

  it("formats an empty cluster", () => {
    const empty: ClusterStatus = {
      time: 5, startedAt: 5, workers: [], jobs: [], tasks: { released: 0, waiting: 0, queued: 0, processing: 0, memory: 0, erred: 0 },
      tasksFinishedTotal: 0, tasksErredTotal: 0, tasksRecomputedTotal: 0, jobCounts: { running: 0, done: 0, erred: 0, cancelled: 0 }, taskStream: [],
    };
    const s = samples(formatPrometheus(empty));
    expect(s.get("tessera_workers")).toBe(0);
    expect(s.get("tessera_uptime_seconds")).toBe(0);
    expect([...s.keys()].some((k) => k.startsWith("tessera_worker_memory_bytes"))).toBe(false);
  });
});
