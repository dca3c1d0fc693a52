import { generateModelOutput, runCausemos } from "@tessera/causemos";
import { closeDefaultClient } from "tessera";
import { existsSync, rmSync } from "node:fs";
const [points, months, out] = [Number(process.argv[2] ?? 5000), Number(process.argv[3] ?? 6), process.argv[4] ?? "none"];
const input = `/tmp/c2/gen-${points}-${months}`;
if (!existsSync(input)) {
  const t0 = performance.now();
  await generateModelOutput({ points, features: 5, months, perMonth: 2, seed: 7, partitions: 4 }).sinkParquet(input);
  console.log(`generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
if (out !== "none") rmSync(out, { recursive: true, force: true });
const cpu0 = process.cpuUsage();
const r = await runCausemos({ model_id: "bench", run_id: "r1", data_paths: [input], qualifier_map: Object.fromEntries([1,2,3,4,5].map(i => [`feature${i}`, ["scenario"]])) }, { out });
console.log(`${r.counters.num_rows} rows in ${r.seconds.toFixed(1)} s = ${(r.counters.num_rows / r.seconds).toFixed(0)} rows/s; ${r.written.objects} objects ${r.written.bytes} bytes`);
const cpu = process.cpuUsage(cpu0);
console.log(`cpu ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s (user ${(cpu.user / 1e6).toFixed(1)}, sys ${(cpu.system / 1e6).toFixed(1)}); load ${(await import("node:os")).loadavg()[0].toFixed(1)}`);
console.log(r.steps.map(s => `${s.step}=${s.seconds.toFixed(2)}`).join("  "));
await closeDefaultClient();
