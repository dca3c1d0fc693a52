// One run of the Causemos pipeline in its own process (so its peak memory is its own); prints one JSON line of results.
import { rmSync } from "node:fs";
import { loadavg } from "node:os";
import { runCausemos } from "@tessera/causemos";
import { closeDefaultClient } from "tessera";
import { PeakRss } from "../runner/peak-rss.js";

/** argv: input path, output ("none" or a directory, emptied first and removed after), qualifier map (JSON). */
async function main(argv: readonly string[]): Promise<void> {
  const [input, out, qualifiers] = argv;
  if (input === undefined || out === undefined) throw new Error("usage: causemos-child INPUT OUT [QUALIFIER_MAP_JSON]");
  if (out !== "none") rmSync(out, { recursive: true, force: true });
  const peak = new PeakRss();
  peak.reset();
  const cpu0 = process.cpuUsage();
  const load = loadavg()[0] ?? 0;
  try {
    const r = await runCausemos({ model_id: "bench", run_id: "r1", data_paths: [input], qualifier_map: JSON.parse(qualifiers ?? "{}") as Record<string, string[]> }, { out });
    const cpu = process.cpuUsage(cpu0);
    process.stdout.write(`${JSON.stringify({
      rows: r.counters.num_rows, seconds: r.seconds, objects: r.written.objects, bytes: r.written.bytes, peakRss: peak.peak(),
      cpuSeconds: (cpu.user + cpu.system) / 1e6, loadAtStart: load, steps: r.steps,
    })}\n`);
  } finally {
    peak.stop();
    await closeDefaultClient();
    if (out !== "none") rmSync(out, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).then(() => process.exit(0), (e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
