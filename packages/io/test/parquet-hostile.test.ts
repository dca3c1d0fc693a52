// Hostile Parquet footers found by fuzzing: each is an IO_BAD_PARQUET naming the file, without spinning or allocating.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readParquetMeta } from "@tessera/io";
import { duck, tempDir } from "./helpers.js";

const { dir, cleanup } = tempDir();
let pages = new Uint8Array(0);
let seed = new Uint8Array(0);

/** A file with the seed's pages and `footer` as its Thrift footer. */
function withFooter(name: string, footer: readonly number[] | Uint8Array): string {
  const out = new Uint8Array(pages.length + footer.length + 8);
  out.set(pages);
  out.set(footer, pages.length);
  new DataView(out.buffer).setUint32(pages.length + footer.length, footer.length, true);
  out.set([0x50, 0x41, 0x52, 0x31], out.length - 4);
  const file = path.join(dir, name);
  writeFileSync(file, out);
  return file;
}

const varint = (n: number): number[] => {
  const out: number[] = [];
  for (let v = n; ; v = Math.floor(v / 128)) {
    if (v < 128) { out.push(v); return out; }
    out.push((v % 128) | 0x80);
  }
};

async function refusal(file: string): Promise<{ code: string; message: string }> {
  try {
    await readParquetMeta(file);
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error(`${file} was read`);
}

beforeAll(async () => {
  const oracle = await duck();
  const file = path.join(dir, "seed.parquet");
  await oracle.con.run(`COPY (SELECT i::INT AS i, 'k' || (i % 3) AS s FROM range(100) t(i)) TO '${file}' (FORMAT parquet)`);
  oracle.close();
  seed = new Uint8Array(readFileSync(file));
  const footerLength = new DataView(seed.buffer).getUint32(seed.length - 8, true);
  pages = seed.subarray(0, seed.length - 8 - footerLength);
});
afterAll(cleanup);

describe("hostile footers", () => {
  it("a map of booleans claiming 2^40 entries (once a fatal V8 'invalid size' error that killed the process)", async () => {
    const file = withFooter("bool-map.parquet", [0x15, 0x02, 0x1b, ...varint(2 ** 40), 0x11, 0x01, 0x00]);
    const e = await refusal(file);
    expect(e.code).toBe("IO_BAD_PARQUET");
    expect(e.message).toContain(file);
    expect(e.message).toMatch(/map of \d+ entries overruns the data/);
  });

  it("lists and structs nested past the depth limit", async () => {
    const lists = withFooter("lists.parquet", [0x19, ...new Array(100_000).fill(0x19), 0x00]);
    expect((await refusal(lists)).message).toMatch(/nested too deeply/);
    const structs = withFooter("structs.parquet", [...new Array(100_000).fill(0x1c), ...new Array(100_001).fill(0x00)]);
    expect((await refusal(structs)).message).toMatch(/nested too deeply/);
  });

  it("a list or a binary claiming more than the footer holds", async () => {
    expect((await refusal(withFooter("list.parquet", [0x15, 0x02, 0x19, 0xfc, ...varint(2 ** 40)]))).message).toMatch(/overruns the data/);
    expect((await refusal(withFooter("binary.parquet", [0x15, 0x02, 0x58, ...varint(2 ** 50), 0x41]))).message).toMatch(/overruns the data/);
  });

  it("row counts that disagree with the column chunks or with each other", async () => {
    // The seed's footer holds 100 four times as an i64 (header 0x16, zigzag 200): the file's num_rows, each column
    // chunk's num_values, then the row group's num_rows.
    const footerLength = new DataView(seed.buffer).getUint32(seed.length - 8, true);
    const footer = seed.subarray(seed.length - 8 - footerLength, seed.length - 8);
    const at = [...footer.keys()].filter((i) => footer[i] === 0x16 && footer[i + 1] === 0xc8 && footer[i + 2] === 0x01);
    expect(at).toHaveLength(4);
    const messages: string[] = [];
    for (const [k, i] of at.entries()) {
      const lying = new Uint8Array(footer);
      lying[i + 1] = 0xc6;  // 99 rows
      const file = withFooter(`rows-${k}.parquet`, lying);
      const e = await refusal(file);
      expect(e.code).toBe("IO_BAD_PARQUET");
      expect(e.message).toContain(file);
      messages.push(e.message);
    }
    expect(messages[0]).toMatch(/declares 99 rows but its row groups hold 100/);
    expect(messages[1]).toMatch(/row group 0 has 100 rows but column i holds 99 values/);
    expect(messages[2]).toMatch(/row group 0 has 100 rows but column s holds 99 values/);
    expect(messages[3]).toMatch(/row group 0 has 99 rows but column i holds 100 values/);
  });
});
