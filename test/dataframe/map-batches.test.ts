// mapBatches runs named user functions where the workers run; a failing task reports its op and partition.
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalCluster, col, fromColumns } from "tessera";

const mod = fileURLToPath(new URL("../fixtures/batch-fns.mjs", import.meta.url));
let cluster: LocalCluster;
beforeAll(async () => {
  // Workers load user functions only from installed packages or from directories their operator allows.
  process.env.TESSERA_FUNCTIONS_DIR = dirname(mod);
  cluster = await LocalCluster.start({ workers: 1, threads: 2, processes: false });
});
afterAll(async () => { await cluster?.close(); });

describe("mapBatches", () => {
  it("applies module#export to every batch, in worker threads", async () => {
    const x = Array.from({ length: 1000 }, (_, i) => i);
    const out = await fromColumns({ x }, { partitions: 4 })
      .mapBatches(`${mod}#doubleX`, { schema: [{ name: "x", type: "float64", nullable: false }, { name: "y", type: "float64", nullable: false }] })
      .filter(col("y").gt(100))
      .collect({ client: cluster.client });
    const ys = Array.from(out.getChild("y")!.toArray() as Float64Array);
    expect(ys).toEqual(x.filter((v) => v * 2 > 100).map((v) => v * 2));
  });

  it("a failing task rejects with its op and partition in the message", async () => {
    const x = Array.from({ length: 400 }, (_, i) => (i === 350 ? -1 : i));
    const frame = fromColumns({ x }, { partitions: 4 }).mapBatches(`${mod}#failOnNegative`, { schema: [{ name: "x", type: "float64", nullable: false }] });
    await expect(frame.collect({ client: cluster.client })).rejects.toThrow(/op pipeline.*partition 3: .*negative x in this batch/);
  });

  it("refuses Node built-ins and files outside the allowed directories", async () => {
    const schema = [{ name: "x", type: "float64" as const, nullable: false }];
    await expect(fromColumns({ x: [1] }).mapBatches("node:child_process#exec", { schema }).collect({ client: cluster.client }))
      .rejects.toMatchObject({ code: "FUNCTION_NOT_ALLOWED" });
    await expect(fromColumns({ x: [1] }).mapBatches("fs#rmSync", { schema }).collect({ client: cluster.client }))
      .rejects.toMatchObject({ code: "FUNCTION_NOT_ALLOWED" });
    await expect(fromColumns({ x: [1] }).mapBatches("/etc/passwd#x", { schema }).collect({ client: cluster.client }))
      .rejects.toMatchObject({ code: "FUNCTION_NOT_ALLOWED" });
    await expect(fromColumns({ x: [1] }).mapBatches("/etc/x.mjs#x", { schema }).collect({ client: cluster.client }))
      .rejects.toThrow(/not inside a directory listed in TESSERA_FUNCTIONS_DIR/);
  });

  it("a result with other columns than declared is an error naming the function", async () => {
    const frame = fromColumns({ x: [1, 2, 3] }).mapBatches(`${mod}#doubleX`, { schema: [{ name: "x", type: "float64", nullable: false }] });
    await expect(frame.collect({ client: cluster.client })).rejects.toThrow(/doubleX returned columns \[x, y\] but declared \[x\]/);
  });
});
