import { it } from "vitest";
import { duckRows, duckRun, sqlString } from "./duck.js";
import { g1Parquet } from "./g1.js";
import { expectSameRows } from "./compare.js";
it("probe", async () => {
  const p = await g1Parquet({ n: 1_000_000 });
  await duckRun(`CREATE TABLE x AS SELECT * FROM read_parquet(${sqlString(p)})`);
  const a = await duckRows("SELECT id1, id2, id3, id4, id5, id6, sum(v3) AS v3, count(*) AS count FROM x GROUP BY ALL");
  const b = await duckRows("SELECT id1, id2, id3, id4, id5, id6, sum(v3) AS v3, count(*) AS count FROM x GROUP BY ALL");
  const keys = ["id1", "id2", "id3", "id4", "id5", "id6"];
  let t = Date.now();
  const ks: string[] = [];
  for (const r of a) { let out = ""; for (const k of keys) { const v = r[k]; out += typeof v === "string" ? "s" + v + "\u0001" : "n" + String(v) + "\u0001"; } ks.push(out); }
  console.log("keys", Date.now() - t); t = Date.now();
  const m = new Map<string, unknown>(); for (let i = 0; i < ks.length; i++) m.set(ks[i]!, a[i]);
  console.log("map", Date.now() - t); t = Date.now();
  for (const k of ks) m.get(k);
  console.log("lookup", Date.now() - t); t = Date.now();
  expectSameRows(a, b, { keys });
  console.log("compare", Date.now() - t); t = Date.now();
}, 300000);
