// The wire layer alone: strict decoding, frames, message checks, Arrow IPC values, the handshake's token check.
import { describe, expect, it } from "vitest";
import { Packr } from "msgpackr";
import type { Batch, StrColumn } from "@tessera/kernels";
import { columnFromValues, columnToArray, sliceBatch, tableFromBatches } from "@tessera/kernels";
import { tableToIPC } from "apache-arrow";
import type { RasterChunk } from "@tessera/raster";
import { makeChunk, makeGrid, windowGrid } from "@tessera/raster";
import {
  PROTOCOL_VERSION, checkHello, checkMessage, decodeFrame, decodeStrict, decodeValues, encodeControl, encodeData, encodePlain,
  encodeValue, int, ipcStreamChunks, list, obj, optional, str,
} from "@tessera/protocol";

const batch: Batch = {
  fields: [{ name: "x", type: "float64", nullable: false }, { name: "s", type: "utf8", nullable: true }],
  columns: [
    { kind: "num", type: "float64", length: 3, values: new Float64Array([1.5, -2, 3]), valid: null },
    { kind: "str", type: "utf8", length: 3, offsets: new Int32Array([0, 1, 1, 3]), bytes: new TextEncoder().encode("abc"), valid: new Uint8Array([1, 0, 1]) },
  ],
  length: 3,
};

describe("strict msgpack decoding", () => {
  it("round-trips plain data, typed arrays, undefined and 64-bit integers", () => {
    const v = { a: [1, -1, 2 ** 40, 1.25, "é", null, true, undefined], b: new Float64Array([1, 2]), c: new Uint8Array([9]), d: 2n ** 62n };
    expect(decodeStrict(encodePlain(v))).toEqual(v);
  });

  it("decodes map keys through its key cache exactly: thousands of names sharing slots, and strings of every short length", () => {
    // 3,000 distinct short names over a cache of a few hundred slots: most share a slot with others, and each map is
    // decoded twice (a miss that fills the slot, then a hit or a collision), in an order that alternates them.
    const names = Array.from({ length: 3000 }, (_, i) => `f${(i * 7919).toString(36)}${i % 3 === 0 ? "_x" : ""}`);
    const maps = names.map((n, i) => ({ [n]: i, op: "task-finished", [names[(i * 31) % names.length] as string]: -i - 1 }));
    for (let round = 0; round < 2; round++) {
      for (const m of maps) expect(decodeStrict(encodePlain(m))).toEqual(m);
    }
    // Same length and slot-mates differing in one byte, non-ASCII keys and values, and every length up to past 48.
    const v = { ab: 1, ac: 2, "é1": 3, "k\u00ff": 4, ["x".repeat(24)]: 5, ["y".repeat(25)]: 6 };
    expect(decodeStrict(encodePlain(v))).toEqual(v);
    for (let n = 0; n <= 60; n++) {
      const ascii = Array.from({ length: n }, (_, i) => String.fromCharCode(33 + ((i * 13) % 94))).join("");
      const wide = ascii.slice(0, Math.max(0, n - 1)) + (n > 0 ? "ü" : "");
      expect(decodeStrict(encodePlain([ascii, wide, { [ascii]: n }]))).toEqual([ascii, wide, { [ascii]: n }]);
    }
  });

  it("refuses msgpackr records, Error and RegExp extensions, __proto__ keys, trailing bytes and lying lengths", () => {
    const records = new Packr({ useRecords: true }).pack([{ a: 1 }, { a: 2 }]);
    expect(() => decodeStrict(records)).toThrow(/extension type/);
    expect(() => decodeStrict(new Packr({ moreTypes: true }).pack(new Error("x")))).toThrow(/extension type/);
    expect(() => decodeStrict(new Packr({ moreTypes: true }).pack(/x+/))).toThrow(/extension type/);
    // Refused again once the name is in the key cache.
    for (let i = 0; i < 2; i++) expect(() => decodeStrict(Uint8Array.from([0x81, 0xa9, ...new TextEncoder().encode("__proto__"), 0x01]))).toThrow(/__proto__/);
    // A key cut off inside its bytes.
    expect(() => decodeStrict(Uint8Array.from([0x81, 0xa5, 0x61, 0x62]))).toThrow(/truncated/);
    expect(() => decodeStrict(Uint8Array.from([0x01, 0x02]))).toThrow(/trailing/);
    expect(() => decodeStrict(Uint8Array.from([0xdd, 0xff, 0xff, 0xff, 0xff]))).toThrow(/exceeds/);
    const deep = new Uint8Array(200).fill(0x91);
    expect(() => decodeStrict(deep)).toThrow(/PROTOCOL|nested|truncated/);
  });
});

describe("frames and values", () => {
  it("hands the frame an IPC stream as the writer's chunks, which join to the stream tableToIPC writes", () => {
    const table = tableFromBatches([batch], batch.fields);
    const chunks = ipcStreamChunks(table);
    // Several chunks: the writer's own list (a single one would mean the fallback that joins them first).
    expect(chunks.length).toBeGreaterThan(2);
    const joined = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
    let at = 0;
    for (const c of chunks) { joined.set(c, at); at += c.byteLength; }
    expect(Array.from(joined)).toEqual(Array.from(tableToIPC(table, "stream")));
    // The float column's values travel as a view of its own buffer, not a copy.
    const values = (batch.columns[0] as { values: Float64Array }).values;
    expect(chunks.some((c) => c.buffer === values.buffer)).toBe(true);
  });

  it("sends a dictionary column's used entries only, when its rows use under half of them", () => {
    const words = Array.from({ length: 50_000 }, (_, i) => `a-fairly-long-dictionary-entry-${i}`);
    const dict = columnFromValues("utf8", words) as StrColumn;
    const n = 1000;
    const whole: Batch = {
      fields: [{ name: "s", type: "utf8", nullable: false }], length: n,
      columns: [{ kind: "dict", type: "utf8", length: n, indices: Int32Array.from({ length: n }, (_, i) => (i * 7) % 30), dict, valid: null }],
    };
    for (const b of [whole, sliceBatch(whole, 0, 0), sliceBatch(whole, 10, 20)]) {
      const parts: Uint8Array[] = [];
      const values = [encodeValue("b", b, parts)];
      // 50,000 entries are about 2 MB; the rows use at most 30 of them.
      expect(parts[0]!.byteLength).toBeLessThan(20_000);
      const frame = decodeFrame(encodeData({ values }, parts));
      if (frame.kind !== "data") throw new Error("expected a data frame");
      expect(columnToArray((decodeValues(values, frame.body).get("b") as Batch).columns[0]!)).toEqual(columnToArray(b.columns[0]!));
    }
  });

  it("carries a Batch as Arrow IPC and other values as msgpack in one data frame", () => {
    const parts: Uint8Array[] = [];
    const values = [encodeValue("b", batch, parts), encodeValue("split", [batch, batch], parts), encodeValue("n", 42, parts),
      encodeValue("e", { fields: [], columns: [], length: 7 }, parts)];
    expect(values.map((v) => v.enc)).toEqual(["arrow", "arrow-list", "msgpack", "empty"]);
    const frame = decodeFrame(encodeData({ values }, parts));
    if (frame.kind !== "data") throw new Error("expected a data frame");
    const got = decodeValues(values, frame.body);
    const b = got.get("b") as Batch;
    expect(b.length).toBe(3);
    expect(Array.from((b.columns[0] as { values: Float64Array }).values)).toEqual([1.5, -2, 3]);
    expect((got.get("split") as Batch[]).length).toBe(2);
    expect(got.get("n")).toBe(42);
    expect((got.get("e") as Batch).length).toBe(7);
  });

  it("carries a raster chunk in its own codec beside other values; it arrives in shared memory", () => {
    const w = { x: 4, y: 2, width: 3, height: 2 };
    const grid = windowGrid(makeGrid("EPSG:4326", [10, 0.5, 0, 50, 0, -0.5], 16, 8), w);
    const chunk = makeChunk({
      grid, window: w, bands: ["red", "nir"], data: [Int16Array.from([1, -2, 3, 4, 5, 6]), Float32Array.from([0.5, Number.NaN, 2, 3, 4, 5])],
      valid: [null, Uint8Array.from([1, 0, 1, 1, 1, 1])], nodata: [null, Number.NaN], time: 86_400_000,
    });
    const parts: Uint8Array[] = [];
    const values = [encodeValue("n", 1, parts), encodeValue("r", chunk, parts)];
    expect(values.map((v) => v.enc)).toEqual(["msgpack", "raster"]);
    const frame = decodeFrame(encodeData({ values }, parts));
    if (frame.kind !== "data") throw new Error("expected a data frame");
    const got = decodeValues(values, frame.body).get("r") as RasterChunk;
    expect(got.grid).toEqual(grid);
    expect(got.window).toEqual(w);
    expect(got.time).toBe(86_400_000);
    expect([...got.data[0]!]).toEqual([1, -2, 3, 4, 5, 6]);
    expect(Object.is(got.data[1]![1], Number.NaN)).toBe(true);
    expect([...got.valid[1]!]).toEqual([1, 0, 1, 1, 1, 1]);
    expect(got.nodata[1]).toBeNaN();
    expect(got.data.every((a) => a.buffer instanceof SharedArrayBuffer)).toBe(true);
    // A raster part that is not a chunk frame fails as a bad frame, naming the key.
    const bad = [{ key: "r", enc: "raster" as const, sizes: [16] }];
    expect(() => decodeValues(bad, new Uint8Array(16))).toThrow(expect.objectContaining({ code: "PROTOCOL_BAD_FRAME", message: expect.stringMatching(/value of r: .*not a raster chunk/) }));
  });

  it("refuses unknown frame kinds, short frames and header lengths past the end", () => {
    expect(() => decodeFrame(Uint8Array.from([9, 0]))).toThrow(/unknown frame kind/);
    expect(() => decodeFrame(Uint8Array.from([1]))).toThrow(/too short/);
    expect(() => decodeFrame(Uint8Array.from([2, 0, 0, 1, 0, 0x90]))).toThrow(/does not fit/);
    expect(decodeFrame(encodeControl({ op: "x" }))).toEqual({ kind: "control", msg: { op: "x" } });
  });
});

describe("message checks", () => {
  const table = { ping: obj({ op: str(), n: int(0, 10), tags: optional(list(str(5))) }) };
  it("accepts a message of a known op with the right fields", () => {
    expect(checkMessage({ op: "ping", n: 3 }, table, "test")).toEqual({ op: "ping", n: 3 });
  });
  it("names the unknown op, the wrong field or the extra field", () => {
    expect(() => checkMessage({ op: "pong" }, table, "t")).toThrow(expect.objectContaining({ code: "PROTOCOL_UNKNOWN_OP" }));
    expect(() => checkMessage({ op: "ping", n: 11 }, table, "t")).toThrow(/\.n: 11 is outside/);
    expect(() => checkMessage({ op: "ping", n: 1, extra: 1 }, table, "t")).toThrow(/unexpected field "extra"/);
    expect(() => checkMessage({ op: "ping", n: 1, toString: 1 }, table, "t")).toThrow(/unexpected field "toString"/);
    expect(() => checkMessage({ op: "ping", n: 1, tags: ["toolong"] }, table, "t")).toThrow(/\.tags: \[0\]/);
    expect(() => checkMessage([1], table, "t")).toThrow(expect.objectContaining({ code: "PROTOCOL_BAD_MESSAGE" }));
  });
  it("checks the protocol version and the token", () => {
    const hello = { op: "hello" as const, protocol: PROTOCOL_VERSION, token: "t", role: "client" as const };
    expect(() => checkHello(hello, "t")).not.toThrow();
    expect(() => checkHello(hello, null)).not.toThrow();
    expect(() => checkHello({ ...hello, token: "u" }, "t")).toThrow(expect.objectContaining({ code: "PROTOCOL_AUTH" }));
    expect(() => checkHello({ ...hello, token: null }, "t")).toThrow(expect.objectContaining({ code: "PROTOCOL_AUTH" }));
    expect(() => checkHello({ ...hello, protocol: 99 }, "t")).toThrow(expect.objectContaining({ code: "PROTOCOL_VERSION" }));
  });
});
