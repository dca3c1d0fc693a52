// Attack: sink paths built from data. Partition names are checked at plan time, partition values escaped as Hive
// does, part names from task args checked: nothing lands outside the target directory (checked on disk), and a
// round trip of hostile values reads back the same values.
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalCluster, col, fromColumns, scanCsv, scanParquet } from "tessera";
import { hivePartitionValues } from "@tessera/io";
import { tableRows } from "../support/compare.js";
import { failure } from "../support/engine.js";
import { listFiles, tempDir } from "../support/files.js";

/** Values that would add, climb or break path components if written as they are. */
const HOSTILE: (string | null)[] = [
  "/", "..", ".", "../../escaped", "a/b", "=", "x=y", "%", "%2F", "%2e%2e", "\n", "line\nbreak", "", null, "\\..\\..", "*", "?",
  "Ünïcødé 🌍", "日本/語", "__HIVE_DEFAULT_PARTITION__", "#frag", "plain",
];

let root = "";
let cluster: LocalCluster;

/** Every file under root, relative to it: what a sink left anywhere in the test's directory tree. */
const allFiles = (): string[] => listFiles(root).map((f) => relative(root, f));
/** Files outside the targets the tests below write to: any would be an escape. */
const strays = (): string[] => allFiles().filter((p) => !/^(named|values-parquet|values-csv)\//.test(p));

beforeAll(async () => {
  root = tempDir("sink-paths");
  cluster = await LocalCluster.start({ workers: 1, threads: 1, processes: false });
});
afterAll(async () => { await cluster?.close(); });

describe("partition column names", () => {
  it("an unknown name such as ../../esc fails at plan time naming it; nothing is written anywhere", async () => {
    const out = join(root, "deep", "a", "target");
    const frame = fromColumns({ k: ["x", "y"], v: [1, 2] });
    const e = await failure(() => frame.sinkParquet(out, { partitionBy: "../../esc", client: cluster.client }));
    expect(e).toMatchObject({ code: "COLUMN_NOT_FOUND", category: "plan" });
    expect(e.message).toContain('"../../esc"');
    expect(e.message).toContain("k, v");
    for (const bad of [["k", "k"], ["k", "v"], [3], "k\u0000"]) {
      expect(await failure(() => frame.sinkParquet(out, { partitionBy: bad as never, client: cluster.client }))).toMatchObject({ category: "plan" });
    }
    expect(allFiles()).toEqual([]);
    expect(existsSync(join(root, "deep"))).toBe(false);
  });

  it("a column really named ../../esc becomes one escaped directory level inside the target", async () => {
    const out = join(root, "named");
    const frame = fromColumns({ "../../esc": ["p", "q"], v: [1, 2] });
    await frame.sinkParquet(out, { partitionBy: "../../esc", client: cluster.client });
    expect(readdirSync(out).filter((d) => !d.startsWith("_")).sort()).toEqual(["..%2F..%2Fesc=p", "..%2F..%2Fesc=q"]);
    expect(allFiles().every((f) => f.startsWith("named/"))).toBe(true);
    const back = tableRows(await scanParquet(out).sort("v").collect({ client: cluster.client }));
    expect(back).toEqual([{ v: 1, "../../esc": "p" }, { v: 2, "../../esc": "q" }]);
  });
});

describe("partition values", () => {
  const values = HOSTILE;
  const frame = () => fromColumns({ k: values, i: values.map((_, i) => i) }, { partitions: 3 });

  for (const format of ["parquet", "csv"] as const) {
    it(`${format}: every hostile value is one directory directly below the target, and reads back unchanged`, async () => {
      const out = join(root, `values-${format}`);
      const f = frame();
      if (format === "parquet") await f.sinkParquet(out, { partitionBy: "k", client: cluster.client });
      else await f.sinkCsv(out, { partitionBy: "k", client: cluster.client });
      // On disk: one directory per distinct value, each exactly one level below the target, holding only part files.
      const dirs = readdirSync(out).filter((d) => !d.startsWith("_"));
      expect(dirs).toHaveLength(new Set(values).size);
      for (const d of dirs) {
        expect(d.startsWith("k=")).toBe(true);
        expect(readdirSync(join(out, d)).every((n) => n.startsWith("part-"))).toBe(true);
      }
      expect(strays()).toEqual([]);
      for (const p of allFiles().filter((x) => x.startsWith(`values-${format}/`))) expect(p.split("/").length).toBeLessThanOrEqual(3);
      // Read back through Tessera's Hive reader: the same value in every row, null and "" kept apart. (CSV scans take
      // no partition columns, so there each file's directory is decoded by the reader's own function.)
      let rows: Record<string, unknown>[];
      if (format === "parquet") rows = tableRows(await scanParquet(out).collect({ client: cluster.client }));
      else {
        rows = [];
        for (const file of listFiles(out, ".csv")) {
          const k = hivePartitionValues(file, out)["k"];
          const part = tableRows(await scanCsv(file, { schema: [{ name: "i", type: "int64", nullable: false }] }).collect({ client: cluster.client }));
          for (const r of part) rows.push({ ...r, k });
        }
      }
      rows.sort((a, b) => (a.i as number) - (b.i as number));
      expect(rows.map((r) => r.i)).toEqual(values.map((_, i) => i));
      expect(rows.map((r) => r.k)).toEqual(values);
    });
  }

  it("a filter on the partition column reads only that value's directory", async () => {
    const out = join(root, "values-parquet");
    const rows = tableRows(await scanParquet(out).filter(col("k").eq("../../escaped")).collect({ client: cluster.client }));
    expect(rows).toEqual([{ i: values.indexOf("../../escaped"), k: "../../escaped" }]);
  });
});

describe("part names from task args", () => {
  it("a sink task whose token or index would climb is refused; nothing is written", async () => {
    const out = join(root, "raw");
    mkdirSync(out);
    const fields = [{ name: "x", type: "float64", nullable: false }];
    const source = { key: "src", op: "pipeline", deps: [], args: { source: { type: "inputs", count: 0, fields }, steps: [], fields } };
    const sink = (token: unknown, index: unknown) => ({
      key: "sink", op: "sink-part", deps: ["src"],
      args: { url: out, format: "parquet", index, token, partitionBy: [], fields, compression: "zstd", rowGroupSize: 10 },
    });
    for (const [token, index] of [["../../../escaped", 0], ["ok", "../../x"], ["a/b", 1], ["", 0]] as const) {
      const e = await failure(() => cluster.client.run({ tasks: [source, sink(token, index)], outputs: ["sink"] } as never));
      // Refused by the op contract (args off the wire) or by the part-name check in the writer.
      expect(e.message).toMatch(/IO_BAD_PART_NAME|part file name|op sink-part: bad args/);
    }
    expect(strays()).toEqual([]);
  });
});
