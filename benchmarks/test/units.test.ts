// Unit tests of the suite machinery that needs no engine: data generators, cross-check, README sections, arguments.
import { describe, expect, it } from "vitest";
import { compareSummaries } from "../src/check/cross-check.js";
import { SumAccumulator } from "../src/check/summary.js";
import { parseArgs } from "../src/cli-args.js";
import { g1Batch } from "../src/data/g1.js";
import { idStrings } from "../src/data/id-strings.js";
import { j1Batches } from "../src/data/j1.js";
import { endMarker, replaceSection, startMarker } from "../src/report/publish.js";
import { barChartSvg } from "../src/report/svg-chart.js";
import { descendantPids } from "../src/runner/peak-rss.js";
import { DEFAULT_SYSTEMS, EXTRA_SYSTEMS, selectSystems } from "../src/suites/question-suite.js";

describe("data generators", () => {
  it("G1 is deterministic and has db-benchmark's shape", () => {
    const a = g1Batch({ n: 10_000 });
    const b = g1Batch({ n: 10_000 });
    expect(a.fields.map((f) => f.name)).toEqual(["id1", "id2", "id3", "id4", "id5", "id6", "v1", "v2", "v3"]);
    const head = (c: (typeof a.columns)[number] | undefined): unknown[] | false => c?.kind === "num" && Array.from(c.values.slice(0, 5) as ArrayLike<unknown>);
    expect(head(a.columns[8])).toEqual(head(b.columns[8]));
    const id3 = a.columns[2];
    expect(id3?.kind).toBe("dict");
    if (id3?.kind === "dict") expect(id3.dict.length).toBe(100); // N/K labels
    const v2 = a.columns[7];
    if (v2?.kind === "num") {
      const vs = Array.from(v2.values as Int32Array);
      expect(Math.min(...vs)).toBe(1);
      expect(Math.max(...vs)).toBe(15);
    }
  });

  it("J1 keeps join-datagen.R's match rates: big joins 90% of x, every x key exists", () => {
    const t = j1Batches(10_000);
    expect([t.x.length, t.small.length, t.medium.length, t.big.length]).toEqual([10_000, 10, 10, 10_000]);
    const keys = (b: typeof t.x, i: number) => { const c = b.columns[i]; return c?.kind === "num" ? Array.from(c.values as Int32Array) : []; };
    const big = new Set(keys(t.big, 2));
    const matched = keys(t.x, 2).filter((k) => big.has(k)).length;
    expect(matched).toBe(9_000);
  });

  it("writes id strings as UTF-8 bytes", () => {
    const c = idStrings(Int32Array.from([7, 1234567, 10]));
    const s = (i: number) => new TextDecoder().decode(c.bytes.subarray(c.offsets[i], c.offsets[i + 1]));
    expect([s(0), s(1), s(2)]).toEqual(["id7", "id1234567", "id10"]);
  });
});

describe("cross-check", () => {
  const base = { rows: 3, columns: { v: { sum: 1000, missing: 0 } } };
  it("accepts sums within relative 1e-6 and rejects the rest", () => {
    expect(compareSummaries(base, { rows: 3, columns: { v: { sum: 1000.0000001, missing: 0 } } })).toEqual([]);
    expect(compareSummaries(base, { rows: 3, columns: { v: { sum: 1001, missing: 0 } } })[0]).toMatch(/sum\(v\)/);
    expect(compareSummaries(base, { rows: 4, columns: { v: { sum: 1000, missing: 1 } } })).toHaveLength(2);
  });
  it("counts nulls and NaNs together", () => {
    const acc = new SumAccumulator();
    for (const v of [1, null, Number.NaN, 2n]) acc.add(v);
    expect(acc.result()).toEqual({ sum: 3, missing: 2 });
  });
});

describe("report", () => {
  it("replaces only its own README section", () => {
    const text = `# t\n\n${startMarker("a")}\nold\n${endMarker("a")}\n\n${startMarker("b")}\nkeep\n${endMarker("b")}\n`;
    const out = replaceSection(text, "a", "new");
    expect(out).toContain(`${startMarker("a")}\nnew\n${endMarker("a")}`);
    expect(out).toContain("keep");
    expect(out).not.toContain("old");
    expect(replaceSection("# t\n", "c", "x")).toContain(`${startMarker("c")}\nx\n${endMarker("c")}`);
  });
  it("draws an SVG with one bar per value and labels for missing ones", () => {
    const svg = barChartSvg({ title: "t", categories: ["q1", "q2"], series: [{ name: "a", values: [0.5, null], missingLabel: [null, "error"] }], unit: "s", log: true });
    expect(svg.match(/<rect x=/g)?.length).toBe(2); // one bar + one legend swatch
    expect(svg).toContain("error");
  });
  it("parses the command line", () => {
    expect(parseArgs(["groupby", "--size", "1e7"])).toMatchObject({ suite: "groupby", size: 1e7, mode: "parquet", runs: 2 });
    expect(parseArgs(["scheduler", "--tasks", "1e4,1e5"]).tasks).toEqual([1e4, 1e5]);
    expect(parseArgs(["scheduler", "--reuse", "dask-threads,dask-processes"]).reuse).toEqual(["dask-threads", "dask-processes"]);
    expect(() => parseArgs(["nope"])).toThrow(/unknown suite/);
  });
});

describe("systems and memory", () => {
  it("runs the process cluster by default and the in-process one only when asked, in the order asked", () => {
    expect(selectSystems(DEFAULT_SYSTEMS, undefined, EXTRA_SYSTEMS).map((s) => s.name)).toEqual(["tessera", "tessera-2w", "duckdb", "polars"]);
    expect(selectSystems(DEFAULT_SYSTEMS, undefined, EXTRA_SYSTEMS).find((s) => s.name === "tessera-2w")?.processes).toBeUndefined();
    const picked = selectSystems(DEFAULT_SYSTEMS, ["duckdb", "tessera-2w-inprocess"], EXTRA_SYSTEMS);
    expect(picked.map((s) => [s.name, s.processes])).toEqual([["duckdb", undefined], ["tessera-2w-inprocess", false]]);
    expect(() => selectSystems(DEFAULT_SYSTEMS, ["nope"], EXTRA_SYSTEMS)).toThrow(/unknown system nope/);
  });
  it.runIf(process.platform === "linux")("finds the processes this one started (their memory counts in peak RSS)", async () => {
    const { spawn } = await import("node:child_process");
    const child = spawn("sleep", ["5"]);
    try {
      expect(descendantPids()).toContain(child.pid);
    } finally {
      child.kill("SIGKILL");
    }
  });
});
