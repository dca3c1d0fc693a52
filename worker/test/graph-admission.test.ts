// Graph admission: ops the workers offer, args their contracts accept, storage inside the scope; the runners check again.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StorageScope } from "@tessera/io";
import { MAX_SPLIT } from "@tessera/ops";
import { InlineRunner, OpRegistry, ThreadPool, makeGraphAdmission } from "@tessera/worker";
import { TEST_OPS_MODULE } from "@tessera/worker/testing";

const fields = [{ name: "x", type: "float64", nullable: false }];
let tmp = "";
let allowed = "";
let outside = "";
let scope: StorageScope;

const csvRead = (url: string, key = "read") => ({
  key, op: "pipeline", deps: [], label: { name: "scan-csv", partition: 2 },
  args: { source: { type: "csv", url, range: null, fields, delimiter: ",", header: true }, steps: [], fields },
});
const sinkPart = (url: string) => ({
  key: "sink", op: "sink-part", deps: ["read"],
  args: { url, format: "parquet", index: 0, token: "abc", partitionBy: [], fields, compression: "zstd", rowGroupSize: 10 },
});
const graph = (...tasks: unknown[]) => ({ tasks, outputs: [] }) as never;

function refusal(f: () => void): { code: string; category: string; message: string; details: Record<string, unknown> } {
  try {
    f();
  } catch (e) {
    return e as never;
  }
  throw new Error("not refused");
}

beforeAll(() => {
  tmp = realpathSync(mkdtempSync(join(tmpdir(), "tessera-admission-")));
  allowed = join(tmp, "allowed");
  outside = join(tmp, "outside");
  mkdirSync(allowed);
  mkdirSync(outside);
  writeFileSync(join(allowed, "in.csv"), "x\n1\n");
  writeFileSync(join(outside, "secret.csv"), "x\n42\n");
  symlinkSync(outside, join(allowed, "link"));
  scope = StorageScope.of([allowed, "s3://inside"]);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("graph admission", () => {
  it("refuses an op the workers do not offer, naming it; accepts it once its module is loaded", async () => {
    const task = { key: "m", op: "make-array", deps: [], args: { n: 4 } };
    const e = refusal(() => makeGraphAdmission()(graph(task)));
    expect(e).toMatchObject({ code: "UNKNOWN_OP", details: { op: "make-array", key: "m" } });
    expect(e.message).toContain("make-array");
    const withTestOps = makeGraphAdmission({ ops: await OpRegistry.load([TEST_OPS_MODULE]) });
    expect(() => withTestOps(graph(task))).not.toThrow();
    // The module's own bounds hold at intake too.
    expect(refusal(() => withTestOps(graph({ ...task, args: { n: 2 ** 40 } })))).toMatchObject({ code: "BAD_OP_ARGS" });
  });

  it("refuses malformed args and unbounded allocations before anything runs, naming the op and the field", () => {
    const split = { ...csvRead(join(allowed, "in.csv")), args: { ...csvRead("x").args, steps: [{ t: "evenSplit", n: MAX_SPLIT + 1 }] } };
    const e = refusal(() => makeGraphAdmission()(graph(split)));
    expect(e).toMatchObject({ code: "BAD_OP_ARGS", details: { op: "pipeline", key: "read" } });
    expect(e.message).toMatch(/^op pipeline \(scan-csv\), partition 2: op pipeline: bad args: \.steps: \[0\]: \.n: 65537 is outside/);
    const e2 = refusal(() => makeGraphAdmission()(graph({ key: "p", op: "pick", deps: [], args: { index: -1 } })));
    expect(e2).toMatchObject({ code: "BAD_OP_ARGS", details: { op: "pick" } });
  });

  it("unscoped, accepts any storage", () => {
    expect(() => makeGraphAdmission()(graph(csvRead("/etc/passwd"), sinkPart("/tmp/anywhere")))).not.toThrow();
  });

  it("scoped, accepts reads and writes inside the prefixes", () => {
    const admit = makeGraphAdmission({ storageScope: scope });
    expect(() => admit(graph(csvRead(join(allowed, "in.csv")), sinkPart(join(allowed, "out"))))).not.toThrow();
    expect(() => admit(graph(csvRead("s3://inside/data/x.csv"), sinkPart("s3://inside/out")))).not.toThrow();
  });

  it.each([
    ["a file outside", () => csvRead(join(outside, "secret.csv")), "read"],
    ["a .. escape", () => csvRead(`${allowed}/../outside/secret.csv`), "read"],
    ["a percent-encoded .. escape", () => csvRead(`file://${allowed}/%2e%2e/outside/secret.csv`), "read"],
    ["a symlink leaving the scope", () => csvRead(join(allowed, "link", "secret.csv")), "read"],
    ["another bucket", () => csvRead("s3://other-bucket/x.csv"), "read"],
    ["a bucket sharing the prefix", () => csvRead("s3://inside-other/x.csv"), "read"],
    ["an object key with ..", () => csvRead("s3://inside/../other-bucket/x.csv"), "read"],
    ["a sink outside", () => sinkPart(join(outside, "out")), "write"],
    ["a sink through a symlink", () => sinkPart(join(allowed, "link", "out")), "write"],
    ["a sink into another bucket", () => sinkPart("s3://other-bucket/out"), "write"],
  ])("scoped, refuses %s naming the URL and the scope", (_what, task, access) => {
    const t = task();
    const url = (t.args as { url?: string; source?: { url?: string } }).url ?? (t.args as { source: { url: string } }).source.url;
    const e = refusal(() => makeGraphAdmission({ storageScope: scope })(graph(csvRead(join(allowed, "in.csv"), "ok"), t)));
    expect(e).toMatchObject({ code: "STORAGE_OUT_OF_SCOPE", category: "io", details: { url, access, key: t.key, op: t.op } });
    expect(e.message).toContain(url);
    expect(e.message).toContain(`${allowed}, s3://inside`);
    expect(e.message).toMatch(new RegExp(`^op ${t.op}`));
  });
});

describe("the runners (the worker's own check)", () => {
  const pool = new ThreadPool({ threads: 1, storageScope: StorageScope.of([join(tmpdir(), "no-such-scope")]) });
  afterAll(() => pool.close());

  it("refuse a task whose storage is outside the scope before its op runs, in a thread and inline", async () => {
    const inline = new InlineRunner({ storageScope: scope });
    const task = csvRead(join(outside, "secret.csv"));
    await expect(inline.run({ ...task, inputs: [] })).rejects.toMatchObject({ code: "STORAGE_OUT_OF_SCOPE", details: { access: "read" } });
    await expect(pool.run({ ...task, inputs: [] })).rejects.toMatchObject({ code: "STORAGE_OUT_OF_SCOPE" });
    const ok = (await inline.run({ ...csvRead(join(allowed, "in.csv")), inputs: [] })) as { length: number };
    expect(ok.length).toBe(1);
    // Unscoped, the same task reads the file: the refusals above came from the scope, not the file.
    expect(((await new InlineRunner().run({ ...task, inputs: [] })) as { length: number }).length).toBe(1);
  });
});
