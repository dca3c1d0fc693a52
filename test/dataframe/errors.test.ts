// Errors: unknown columns fail at plan time with a PlanError naming the column and the existing ones; bad files name the file.
import { copyFileSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { col, len, PlanError, scanParquet } from "tessera";
import { closeDuck } from "../support/duck.js";
import { engineLanded, failure } from "../support/engine.js";
import { tempDir } from "../support/files.js";
import { G1_COLUMNS, g1Parquet } from "../support/g1.js";

type Frame = ReturnType<typeof scanParquet>;

describe.skipIf(!engineLanded)("unknown columns are plan errors", () => {
  let path = "";
  beforeAll(async () => {
    path = await g1Parquet({ n: 20_000, k: 10 });
  });
  afterAll(closeDuck);

  const bad: [string, (x: Frame) => Frame][] = [
    ["select", (x) => x.select(col("id1"), col("nope"))],
    ["filter", (x) => x.filter(col("nope").gt(1))],
    ["groupBy key", (x) => x.groupBy("nope").agg(col("v1").sum().alias("v1"))],
    ["aggregate input", (x) => x.groupBy("id1").agg(col("nope").sum().alias("s"), len().alias("n"))],
    ["withColumns", (x) => x.withColumns(col("nope").add(1).alias("z"))],
    ["sort key", (x) => x.sort("nope", { descending: false })],
    ["join key", (x) => x.join(scanParquet(path), { on: "nope", how: "inner" })],
    ["after a projection that dropped it", (x) => x.select(col("id1"), col("v1")).filter(col("v3").gt(1))],
  ];

  for (const [where, build] of bad) {
    it(`in ${where}: collect() rejects with a PlanError naming the column and listing the existing ones`, async () => {
      const e = await failure(() => build(scanParquet(path)).collect());
      expect(e).toBeInstanceOf(PlanError);
      expect(e.category).toBe("plan");
      const missing = where.startsWith("after") ? "v3" : "nope";
      expect(e.message).toContain(missing);
      const visible = where.startsWith("after") ? ["id1", "v1"] : G1_COLUMNS;
      for (const c of visible) expect(e.message).toContain(c);
    });
  }

  it("the same errors come from schema() and explain(), which run no task", async () => {
    for (const [, build] of bad) {
      const fromSchema = await failure(() => build(scanParquet(path)).schema());
      expect(fromSchema).toBeInstanceOf(PlanError);
      const fromExplain = await failure(() => build(scanParquet(path)).explain());
      expect(fromExplain).toBeInstanceOf(PlanError);
    }
  });

  it("a plan error is raised even when reading the data would fail (no task ran first)", async () => {
    // A file whose footer (schema) is intact but whose data pages are overwritten with garbage.
    const dir = tempDir("errors-plan");
    const corrupt = `${dir}/corrupt-pages.parquet`;
    copyFileSync(path, corrupt);
    const bytes = readFileSync(corrupt);
    const footerLen = bytes.readUInt32LE(bytes.length - 8);
    bytes.fill(0xab, 4, bytes.length - 8 - footerLen);
    writeFileSync(corrupt, bytes);
    const e = await failure(() => scanParquet(corrupt).filter(col("nope").gt(1)).collect());
    expect(e).toBeInstanceOf(PlanError);
    expect(e.message).toContain("nope");
  });
});

describe.skipIf(!engineLanded)("bad files fail with the file's name", () => {
  let dir = "";
  let good = "";
  beforeAll(async () => {
    good = await g1Parquet({ n: 20_000, k: 10 });
    dir = tempDir("errors-files");
  });
  afterAll(closeDuck);

  it("a truncated Parquet file", async () => {
    const truncated = `${dir}/truncated.parquet`;
    copyFileSync(good, truncated);
    truncateSync(truncated, Math.floor(readFileSync(good).length / 2));
    const e = await failure(() => scanParquet(truncated).collect());
    expect(e.message).toContain(basename(truncated));
  });

  it("a file that is not Parquet at all", async () => {
    const notParquet = `${dir}/notes.parquet`;
    writeFileSync(notParquet, "id,value\n1,hello\n2,world\n");
    const e = await failure(() => scanParquet(notParquet).collect());
    expect(e.message).toContain(basename(notParquet));
  });

  it("one bad file among good ones in a glob: the error names the bad one", async () => {
    const sub = `${dir}/mixed-set`;
    mkdirSync(sub);
    copyFileSync(good, `${sub}/part-0.parquet`);
    copyFileSync(good, `${sub}/part-1.parquet`);
    writeFileSync(`${sub}/part-2.parquet`, Buffer.alloc(64, 7));
    const e = await failure(() => scanParquet(`${sub}/*.parquet`).select(col("v1")).collect());
    expect(e.message).toContain("part-2.parquet");
    expect(e.message).not.toContain("part-0.parquet");
  });

  it("a path that does not exist", async () => {
    const missing = `${dir}/no-such-file.parquet`;
    const e = await failure(() => scanParquet(missing).collect());
    expect(e.message).toContain("no-such-file.parquet");
  });
});

describe.skipIf(!engineLanded)("columns of types the reader cannot decode", () => {
  it("a plan using one fails before running, naming the column, its type and the file", async () => {
    const { duckRun } = await import("../support/duck.js");
    const path = `${tempDir("decimal")}/decimal.parquet`;
    await duckRun(`COPY (SELECT i AS k, i * 0.5 AS price FROM range(100) t(i)) TO '${path}' (FORMAT parquet)`);
    const e = await failure(() => scanParquet(path).select(col("k"), col("price")).collect());
    expect(e).toBeInstanceOf(PlanError);
    expect(e.code).toBe("UNSUPPORTED_COLUMN_TYPE");
    expect(e.message).toContain('"price"');
    expect(e.message).toContain("decimal");
    expect(e.message).toContain(basename(path));
  });
});
