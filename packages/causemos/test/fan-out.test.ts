// The object writer stand-in: one object per group, keys from templates (the original's spelling, no climbing out).
import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { fromColumns, lit } from "tessera";
import { fanOut, KeyTemplate, objectWriter, safeKey } from "@tessera/causemos";
import { RecordingWriter, tempDir } from "./support.js";

const { dir, cleanup } = tempDir("fan-out");
afterAll(cleanup);

describe("fanOut", () => {
  it("renders one object per group of partition values across partitions, rows in order, with the group's row counts", async () => {
    const frame = fromColumns({ region: ["b", "a", "b", "a", "c", "a"], ts: [2n, 1n, 1n, 1n, 3n, 2n], v: [1, 2, 3, 4, 5, 6] }, { partitions: 3 });
    const w = new RecordingWriter();
    const key = new KeyTemplate("run/{region}/{ts}.txt");
    const r = await fanOut(frame, w, { partitionBy: ["region", "ts"], orderBy: ["v"], render: (rows, values) => [{ key: key.render(values), body: new TextEncoder().encode(Array.from(rows.getChild("v")!, String).join(",")) }] });
    expect(w.keys()).toEqual(["run/a/1.txt", "run/a/2.txt", "run/b/1.txt", "run/b/2.txt", "run/c/3.txt"]);
    expect(w.text("run/a/1.txt")).toBe("2,4");
    expect(r.groups.map((g) => g.rows)).toEqual([2, 1, 1, 1, 1]);
    expect(r.objects).toBe(5);
  });

  it("writes nothing for an empty frame", async () => {
    const w = new RecordingWriter();
    const r = await fanOut(fromColumns({ a: ["x"] }).filter(lit(false)), w, { partitionBy: ["a"], render: () => [{ key: "k", body: new Uint8Array() }] });
    expect(r).toEqual({ objects: 0, groups: [] });
    expect(w.keys()).toEqual([]);
  });
});

describe("KeyTemplate", () => {
  it("fills placeholders from values (never re-parsed), keeps spaces, Unicode and a / inside a value (Q18)", () => {
    const k = new KeyTemplate("{base}/{res}/{feature}/regional/{level}/timeseries/default/{region_id}.csv");
    expect(k.names).toEqual(["base", "res", "feature", "level", "region_id"]);
    expect(k.render({ base: "m/r", res: "month", feature: "rain {mm}", level: "admin1", region_id: "Ethiopia__Afar/North é" }))
      .toBe("m/r/month/rain {mm}/regional/admin1/timeseries/default/Ethiopia__Afar/North é.csv");
    expect(new KeyTemplate("{t}-{z}.tile").render({ t: 1546300800000n, z: 7 })).toBe("1546300800000-7.tile");
    expect(() => k.render({ base: "m/r" })).toThrow(/no value for \{res\}/);
  });

  it("neutralises . and .. segments, so no key climbs out of its prefix", () => {
    expect(new KeyTemplate("m/r/{q}/x.csv").render({ q: "../../etc" })).toBe("m/r/%2E%2E/%2E%2E/etc/x.csv");
    expect(safeKey("a/./b/../c")).toBe("a/%2E/b/%2E%2E/c");
  });
});

describe("objectWriter", () => {
  it("puts objects under a file:// root with bounded concurrency and counts them; none counts without storing", async () => {
    const w = objectWriter(`file://${dir}/root`, { concurrency: 2 });
    for (let i = 0; i < 10; i++) await w.put(`k/${i}.txt`, new TextEncoder().encode(`v${i}`));
    await w.flush();
    expect(w.stats()).toEqual({ objects: 10, bytes: 20 });
    expect(readFileSync(`${dir}/root/k/7.txt`, "utf8")).toBe("v7");
    const none = objectWriter("none");
    await none.put("x", new Uint8Array(3));
    await none.flush();
    expect(none.stats()).toEqual({ objects: 1, bytes: 3 });
  });

  it("reports a failed PUT at flush, and refuses further puts", async () => {
    writeFileSync(`${dir}/blocked`, "a file where a directory should be");
    const bad = objectWriter(`file://${dir}/blocked`);
    await bad.put("child/x", new Uint8Array(1));
    await expect(bad.flush()).rejects.toMatchObject({ name: "IoError" });
    await expect(bad.put("child/y", new Uint8Array(1))).rejects.toMatchObject({ name: "IoError" });
  });
});
