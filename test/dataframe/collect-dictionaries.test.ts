// collect() over Parquet dictionary columns: partitions' dictionaries appended into one Arrow dictionary, small ones shared.
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as arrow from "apache-arrow";
import { LocalCluster, scanParquet } from "tessera";
import { writeParquet } from "@tessera/io";
import type { Batch, DictColumn, StrColumn } from "@tessera/kernels";
import { strColumnFromStrings } from "@tessera/kernels";
import { tempDir } from "../support/files.js";

const rows = 18000;
const high = Array.from({ length: rows }, (_, i) => `s${(i * 7919) % 9000}`);  // ~6,000 values per 6,000-row group
const low = Array.from({ length: rows }, (_, i) => `c${(i * 3) % 5}`);
let cluster: LocalCluster;
let file: string;

function dictColumn(values: readonly string[]): DictColumn {
  const distinct = [...new Set(values)];
  const at = new Map(distinct.map((v, k) => [v, k]));
  const dict: StrColumn = strColumnFromStrings(distinct);
  return { kind: "dict", type: "utf8", length: values.length, indices: Int32Array.from(values, (v) => at.get(v) as number), dict, valid: null };
}

beforeAll(async () => {
  file = `${tempDir("collect-dict")}/d.parquet`;
  const fields = [{ name: "high", type: "utf8", nullable: false }, { name: "low", type: "utf8", nullable: false }] as const;
  const batch: Batch = { fields, columns: [dictColumn(high), dictColumn(low)], length: rows };
  writeFileSync(file, writeParquet([batch], fields, { rowGroupSize: 6000 }));
  cluster = await LocalCluster.start({ workers: 1, threads: 2 });
});
afterAll(async () => { await cluster?.close(); });

describe("collect() of dictionary columns", () => {
  it("appends the partitions' dictionaries into one dictionary vector, sharing equal small ones, the values unchanged", async () => {
    const t = await scanParquet(file, { partitions: 3 }).collect({ client: cluster.client, progress: false });
    expect(t.batches.length).toBe(3);
    const h = t.getChild("high") as arrow.Vector, l = t.getChild("low") as arrow.Vector;
    expect([...h]).toEqual(high);
    expect([...l]).toEqual(low);
    // One dictionary vector per column, shared by every batch: the high-cardinality one holds each partition's
    // dictionary as a chunk; the low-cardinality ones were equal (canonical) and are held once.
    const hd = h.data[0]?.dictionary as arrow.Vector, ld = l.data[0]?.dictionary as arrow.Vector;
    for (const d of h.data) expect(d.dictionary).toBe(hd);
    for (const d of l.data) expect(d.dictionary).toBe(ld);
    expect(hd.data.length).toBe(3);
    expect(hd.length).toBeGreaterThan(new Set(high).size);
    expect([...ld]).toEqual(["c0", "c1", "c2", "c3", "c4"]);
    // Written as IPC (dictionary deltas, valid in files and streams) and read back, the same values.
    for (const format of ["file", "stream"] as const) {
      const back = arrow.tableFromIPC(arrow.tableToIPC(t, format));
      expect([...(back.getChild("high") as arrow.Vector)]).toEqual(high);
      expect([...(back.getChild("low") as arrow.Vector)]).toEqual(low);
    }
  });
});
