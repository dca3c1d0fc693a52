// Scratch measurement (not a test): microseconds per no-op task through real processes over WebSockets.
// Run after building: node packages/tessera/bench/ws-noop-throughput.mjs [sizes...]; compare with worker/bench/noop-throughput.mjs.
import { LocalCluster } from "tessera";

/** n no-op tasks: (n - n/10) roots and n/10 reducers of 9 roots each; the reducers are the outputs. */
function reduceGraph(n) {
  const tasks = [];
  const outputs = [];
  for (let r = 0; r < Math.floor(n / 10); r++) {
    const deps = [];
    for (let i = 0; i < 9; i++) {
      tasks.push({ key: `root-${r}-${i}`, op: "noop", args: null, deps: [] });
      deps.push(`root-${r}-${i}`);
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
  { name: "1 worker x 2 threads", opts: { workers: 1, threads: 2 } },
  { name: "2 workers x 1 thread", opts: { workers: 2, threads: 1 } },
];
for (const { name, opts } of configs) {
  const cluster = await LocalCluster.start(opts);
  await cluster.client.run(reduceGraph(100)); // warm-up: threads, module load, JIT
  for (const [shape, make] of [["reduce", reduceGraph], ["flat", flatGraph]]) {
    for (const n of sizes.length ? sizes : [10_000, 100_000]) {
      const graph = make(n);
      const t0 = performance.now();
      const values = await cluster.client.run(graph);
      const ms = performance.now() - t0;
      if (values.size !== graph.outputs.length) throw new Error("wrong result size");
      console.log(
        `${shape.padEnd(6)} ${String(n).padStart(7)} tasks  ${name.padEnd(22)} ${ms.toFixed(0).padStart(6)} ms  ` +
        `${((ms * 1000) / n).toFixed(1).padStart(6)} us/task  ${Math.round(n / (ms / 1000)).toString().padStart(7)} tasks/s`,
      );
    }
  }
  await cluster.close();
}
