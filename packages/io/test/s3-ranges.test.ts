// Ranged Parquet reads on S3: nearby column chunks merge into one request, far ones stay apart, footers are ranged.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { coalesceRanges, readParquet, readParquetMeta, registerS3, storeFor } from "@tessera/io";
import { S3RVER_CREDENTIALS, startS3rver, type S3rverHandle } from "../../../test/s3/s3rver-fixture.js";
import { duck, tempDir } from "./helpers.js";

describe("coalesceRanges", () => {
  const r = (key: string, start: number, length: number) => ({ key, start, length });

  it("merges ranges whose gap is at most maxGap, in file order", () => {
    const out = coalesceRanges([r("c", 300, 50), r("a", 0, 100), r("b", 150, 100)], 50, 1000, 1);
    expect(out.map((f) => [f.start, f.length, f.ranges.map((x) => x.key).join("")])).toEqual([[0, 350, "abc"]]);
    expect(coalesceRanges([r("a", 0, 100), r("b", 151, 10)], 50, 1000, 1).length).toBe(2);
  });

  it("reads through gaps only while they stay under a sixteenth of the wanted bytes", () => {
    // 1,000-byte chunks 40 bytes apart: each gap is within the budget, so all merge into one request.
    const near = coalesceRanges([0, 1, 2, 3].map((i) => r(`n${i}`, i * 1040, 1000)), 1 << 20);
    expect(near.map((f) => f.ranges.length)).toEqual([4]);
    // Far apart (a column chunk of another column between): each is its own request, whatever maxGap allows.
    const far = coalesceRanges([r("a", 0, 1000), r("b", 1500, 1000), r("c", 3000, 1000)], 1 << 20);
    expect(far.map((f) => [f.start, f.length])).toEqual([[0, 1000], [1500, 1000], [3000, 1000]]);
    // The bound holds for the whole request: bytes read stay within 1/16 over the bytes wanted.
    const many = coalesceRanges(Array.from({ length: 50 }, (_, i) => r(`m${i}`, i * 1100 + (i % 3) * 7, 1000)), 1 << 20);
    for (const f of many) {
      const wanted = f.ranges.reduce((s, x) => s + x.length, 0);
      expect(f.length).toBeLessThanOrEqual(wanted * (1 + 1 / 16));
    }
  });

  it("with maxGap 0 merges only touching ranges, and never grows a request past maxRequest", () => {
    expect(coalesceRanges([r("a", 0, 10), r("b", 10, 10), r("c", 21, 5)], 0).map((f) => f.ranges.length)).toEqual([2, 1]);
    expect(coalesceRanges([r("a", 0, 60), r("b", 60, 60), r("c", 120, 200)], 1000, 100).map((f) => [f.start, f.length])).toEqual([[0, 60], [60, 60], [120, 200]]);
  });
});

describe("Parquet over s3 (s3rver)", () => {
  let server: S3rverHandle;
  const local = tempDir("tessera-s3-ranges-");
  const url = "s3://ranges/wide.parquet";
  let fileSize = 0;

  beforeAll(async () => {
    server = await startS3rver({ buckets: ["ranges"] });
    registerS3({ endpoint: server.endpoint, credentials: S3RVER_CREDENTIALS });
    // Four row groups of a, mid, b (small ints) and pad (wide strings): a and b lie close (mid between them), far from other row groups.
    const { con, close } = await duck();
    const file = `${local.dir}/wide.parquet`;
    await con.run(`COPY (SELECT i AS a, i % 7 AS mid, i * 2 AS b, md5(i::VARCHAR) || md5((i + 1)::VARCHAR) || md5((i + 2)::VARCHAR) AS pad
      FROM range(200000) t(i)) TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 50000, COMPRESSION uncompressed)`);
    close();
    const bytes = new Uint8Array((await import("node:fs")).readFileSync(file));
    fileSize = bytes.length;
    await storeFor(url).put(url, bytes);
  });
  afterAll(async () => {
    local.cleanup();
    await server?.close();
  });

  it("reads the footer with one ranged tail read after a HEAD", async () => {
    await server.reset();
    await readParquetMeta(url);
    const log = await server.requests();
    expect(log.map((x) => x.method)).toEqual(["HEAD", "GET"]);
    expect(log[1]?.range).toMatch(/^bytes=\d+-\d+$/);
  });

  it("fetches a and b of each row group in one request each (reading through mid), and none of pad", async () => {
    const meta = await readParquetMeta(url);
    await server.reset();
    const b = await readParquet(url, { columns: ["a", "b"], meta });
    expect(b.length).toBe(200_000);
    const gets = (await server.requests()).filter((x) => x.method === "GET");
    expect(gets.length).toBe(4);
    const fetched = gets.reduce((s, x) => s + x.bytes, 0);
    expect(fetched).toBeLessThan(0.2 * fileSize);
  });
});
