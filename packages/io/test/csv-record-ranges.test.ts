// Record-aligned CSV ranges: quoted newlines never split a record, and the ranges together read every record once.
import { describe, expect, it } from "vitest";
import { columnToArray } from "@tessera/kernels";
import { csvRecordRanges, readCsv, storeFor } from "@tessera/io";

const url = "memory://csv-record-ranges/tricky.csv";
const schema = [
  { name: "id", type: "int64" as const, nullable: true },
  { name: "text", type: "utf8" as const, nullable: true },
];

describe("csvRecordRanges", () => {
  it("splits on record boundaries only, so aligned ranges read exactly the whole file's records", async () => {
    const lines = ["id,text"];
    for (let i = 0; i < 2000; i++) lines.push(`${i},"row ${i}${i % 3 === 0 ? "\nsecond line, with comma" : ""}${i % 5 === 0 ? ' and ""quotes""' : ""}"`);
    const bytes = new TextEncoder().encode(`${lines.join("\n")}\n`);
    const store = storeFor(url);
    await store.put(url, bytes);
    const whole = await readCsv(url, { schema });
    const ids = columnToArray(whole.columns[0]!);
    const texts = columnToArray(whole.columns[1]!);
    expect(whole.length).toBe(2000);
    for (const n of [2, 3, 7, 16]) {
      const ranges = await csvRecordRanges(store, url, bytes.length, n);
      expect(ranges[0]?.start).toBe(0);
      expect(ranges.at(-1)?.end).toBe(bytes.length);
      for (let i = 1; i < ranges.length; i++) {
        expect(ranges[i]?.start).toBe(ranges[i - 1]?.end);
        expect(bytes[(ranges[i]?.start as number) - 1]).toBe(10);
      }
      const got: unknown[] = [];
      const gotText: unknown[] = [];
      for (const range of ranges) {
        const b = await readCsv(url, { schema, range, aligned: true });
        got.push(...columnToArray(b.columns[0]!));
        gotText.push(...columnToArray(b.columns[1]!));
      }
      expect(got).toEqual(ids);
      expect(gotText).toEqual(texts);
    }
  });
});
