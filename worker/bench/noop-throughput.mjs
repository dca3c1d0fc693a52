// Scratch measurement (not a test): microseconds per no-op task through InProcessCluster, inline and with the pool.
// Run after building: node worker/bench/noop-throughput.mjs [sizes...]   e.g. node worker/bench/noop-throughput.mjs 10000 100000
// Process CPU includes the pool threads and GC; compare it with wall time on a busy machine.
import { InProcessCluster } from "@tessera/worker";

/** n no-op tasks: (n - n/10) roots and n/10 reducers of 9 roots each; the reducers are the outputs. */
function reduceGraph(n) {
  const tasks = [];
  const outputs = [];
  const groups = Math.floor(n / 10);
  for (let r = 0; r < groups; r++) {
    const deps = [];
    for (let i = 0; i < 9; i++) {
      const key = `root-${r}-${i}`;
      tasks.push({ key, op: "noop", args: null, deps: [] });
      deps.push(key);
    }
    tasks.push({ key: `reduce-${r}`, op: "noop", args: null, deps });
    outputs.push(`reduce-${r}`);
  }
  return { tasks, outputs };
}

/** n independent no-op tasks, all outputs. */
function flatGraph(n) {
  const tasks = Array.from({ length: n }, (_, i) => ({ key: `t-${i}`, op: "noop", args: null, deps: [] }));
  return { tasks, outputs: tasks.map((t) => t.key) };
}

const sizes = process.argv.slice(2).map(Number).filter((x) => x > 0);
const configs = [
  { name: "inline, 1 worker", opts: { workers: 1, threads: 0 } },
  { name: "pool, 1 worker x 2 threads", opts: { workers: 1, threads: 2 } },
  { name: "pool, 2 workers x 1 thread", opts: { workers: 2, threads: 1 } },
];
for (const shape of [["reduce", reduceGraph], ["flat", flatGraph]]) {
  for (const n of sizes.length ? sizes : [10_000, 100_000]) {
    for (const { name, opts } of configs) {
      const cluster = await InProcessCluster.start({ ...opts, ...JSON.parse(process.env.BENCH_OPTS ?? "{}") });
      await cluster.submit(reduceGraph(100)); // warm-up: thread start, module load, JIT
      const graph = shape[1](n);
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      const values = await cluster.submit(graph);
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      if (values.size !== graph.outputs.length) throw new Error("wrong result size");
      await cluster.close();
      const us = (ms * 1000) / n;
      const cpuUs = (cpu.user + cpu.system) / n;
      console.log(
        `${shape[0].padEnd(6)} ${String(n).padStart(7)} tasks  ${name.padEnd(28)} ${ms.toFixed(0).padStart(6)} ms  ` +
        `${us.toFixed(1).padStart(6)} us/task  ${Math.round(n / (ms / 1000)).toString().padStart(7)} tasks/s  ` +
        `(process CPU ${cpuUs.toFixed(1)} us/task)`,
      );
    }
  }
}
