// The commit protocol's pieces on s3:// (s3rver) and file://: manifests, part checks, publish, abort, late parts, scans.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isTesseraError } from "@tessera/common";
import {
  abortAttempt, attemptAborted, encodeManifest, expandDataset, isPartOf, makeManifest, partFileName, publishDataset,
  readManifest, registerS3, storeFor, verifyParts, type ManifestFile,
} from "@tessera/io";
import { S3RVER_CREDENTIALS, startS3rver, type S3rverHandle } from "../../../test/s3/s3rver-fixture.js";
import { tempDir } from "./helpers.js";

let server: S3rverHandle;
const local = tempDir("tessera-commit-");

beforeAll(async () => {
  server = await startS3rver({ buckets: ["commit"] });
  registerS3({ endpoint: server.endpoint, credentials: S3RVER_CREDENTIALS });
});
afterAll(async () => {
  local.cleanup();
  await server?.close();
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (isTesseraError(e)) return `${e.code}: ${e.message}`;
    throw e;
  }
  return "resolved";
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const exists = (url: string): Promise<boolean> => storeFor(url).head(url).then(() => true, () => false);

/** Writes parts of job `token` under `dir`; returns their manifest entries. */
async function writeParts(dir: string, token: string, paths: readonly string[]): Promise<ManifestFile[]> {
  return Promise.all(paths.map(async (sub, i) => {
    const name = partFileName(i, token, "parquet");
    const path = sub === "" ? name : `${sub}/${name}`;
    const bytes = text(`data of ${path}`);
    await storeFor(dir).put(`${dir}/${path}`, bytes);
    return { path, rows: i + 1, bytes: bytes.length };
  }));
}

const bases: readonly (readonly [string, () => string])[] = [["s3://", () => "s3://commit"], ["file://", () => local.dir]];

describe.each(bases)("commit protocol on %s", (_scheme, base) => {
  it("part names carry the job token and a per-execution nonce", () => {
    const a = partFileName(3, "abc123abc123", "parquet");
    expect(a).toMatch(/^part-00003-abc123abc123-[0-9a-f]{8}\.parquet$/);
    expect(partFileName(3, "abc123abc123", "parquet")).not.toBe(a);
    expect(isPartOf(`x/k=1/${a}`, "abc123abc123")).toBe(true);
    expect(isPartOf(`x/${a}`, "ffffffffffff")).toBe(false);
  });

  it("verifyParts accepts existing parts and names a missing, resized or duplicated one", async () => {
    const dir = `${base()}/verify`;
    const files = await writeParts(dir, "aaaaaaaaaaaa", ["", "k=1"]);
    await verifyParts(dir, files);
    const [first] = files as [ManifestFile];
    expect(await codeOf(verifyParts(dir, [...files, { ...first, path: "part-00009-aaaaaaaaaaaa-00000000.parquet" }])))
      .toMatch(/^IO_COMMIT: cannot commit .*verify: part .*part-00009-aaaaaaaaaaaa-00000000\.parquet is missing/);
    expect(await codeOf(verifyParts(dir, [{ ...first, bytes: first.bytes + 1 }]))).toMatch(/IO_COMMIT: .* has \d+ bytes, \d+ were written/);
    expect(await codeOf(verifyParts(dir, [first, first]))).toMatch(/IO_COMMIT: .* is listed twice/);
  });

  it("publish replaces the manifest in one put, then deletes the old dataset's files and this job's unlisted parts", async () => {
    const dir = `${base()}/publish`;
    const old = await writeParts(dir, "111111111111", ["", ""]);
    await publishDataset(dir, makeManifest("parquet", "111111111111", [], old));
    await storeFor(dir).put(`${dir}/notes.txt`, text("not ours"));
    const fresh = await writeParts(dir, "222222222222", ["", "k=1"]);
    const [duplicate] = await writeParts(dir, "222222222222", [""]);  // a task executed twice: one copy is not listed
    const r = await publishDataset(dir, makeManifest("parquet", "222222222222", [], fresh));
    expect(r.replaced).toBe(2);
    expect(r.files).toEqual(fresh.map((f) => `${dir}/${f.path}`));
    expect((await readManifest(dir))?.files).toEqual(fresh);
    for (const f of old) expect(await exists(`${dir}/${f.path}`)).toBe(false);
    for (const f of fresh) expect(await exists(`${dir}/${f.path}`)).toBe(true);
    expect(await exists(`${dir}/${duplicate?.path}`)).toBe(false);
    expect(await exists(`${dir}/notes.txt`)).toBe(true);
  });

  it("abort deletes every part of the job (nested too), marks it, and leaves other jobs alone; a late part sees the mark", async () => {
    const dir = `${base()}/abort`;
    const kept = await writeParts(dir, "333333333333", [""]);
    await publishDataset(dir, makeManifest("parquet", "333333333333", [], kept));
    const doomed = await writeParts(dir, "444444444444", ["", "a=1", "a=1/b=2"]);
    expect(await attemptAborted(dir, "444444444444")).toBe(false);
    expect(await abortAttempt(dir, "444444444444")).toBe(3);
    for (const f of doomed) expect(await exists(`${dir}/${f.path}`)).toBe(false);
    expect(await exists(`${dir}/${kept[0]?.path}`)).toBe(true);
    expect((await readManifest(dir))?.token).toBe("333333333333");
    // A task of the failed job still running puts its part after the cleanup listed the directory:
    const [late] = await writeParts(dir, "444444444444", ["a=2"]);
    expect(await attemptAborted(dir, "444444444444")).toBe(true);
    expect(await attemptAborted(dir, "333333333333")).toBe(false);
    expect(await exists(`${dir}/${late?.path}`)).toBe(true);  // it then deletes itself (sink-part does)
    expect((await expandDataset(dir)).map((f) => f.url)).toEqual([`${dir}/${kept[0]?.path}`]);
  });

  it("a scan of a directory reads the manifest's files only; without a manifest (or with an empty marker) it lists", async () => {
    const dir = `${base()}/scan`;
    const files = await writeParts(dir, "555555555555", ["", "k=2"]);
    await writeParts(dir, "666666666666", [""]);  // an in-flight or failed attempt's part
    expect((await expandDataset(`${dir}/`)).length).toBe(3);
    await storeFor(dir).put(`${dir}/_SUCCESS`, new Uint8Array(0));  // Hadoop/Spark's empty marker lists nothing
    expect((await expandDataset(dir)).length).toBe(3);
    await storeFor(dir).put(`${dir}/_SUCCESS`, encodeManifest(makeManifest("parquet", "555555555555", [], files)));
    expect(await expandDataset(dir)).toEqual(files.map((f) => ({ url: `${dir}/${f.path}`, size: f.bytes })));
    expect(await expandDataset(`${dir}/`)).toEqual(await expandDataset(dir));
  });

  it("a manifest that is not one is IO_BAD_MANIFEST naming it; paths may not leave the directory", async () => {
    const dir = `${base()}/bad-manifest`;
    await storeFor(dir).put(`${dir}/_SUCCESS`, text("{ not json"));
    expect(await codeOf(readManifest(dir))).toMatch(/^IO_BAD_MANIFEST: bad dataset manifest .*bad-manifest\/_SUCCESS: not JSON/);
    const escape = { version: 1, format: "parquet", token: "t", schema: [], files: [{ path: "../elsewhere/x.parquet", rows: 1, bytes: 1 }], rows: 1, bytes: 1 };
    await storeFor(dir).put(`${dir}/_SUCCESS`, text(JSON.stringify(escape)));
    expect(await codeOf(readManifest(dir))).toMatch(/IO_BAD_MANIFEST: .*bad file entry/);
  });
});

describe("listing on s3", () => {
  it("a scan of an s3 directory lists once without a manifest and never with one", async () => {
    const dir = "s3://commit/listing";
    const files = await writeParts(dir, "777777777777", ["", "", "k=1"]);
    const lists = async (): Promise<number> => (await server.requests()).filter((r) => r.method === "GET" && r.url.includes("list-type=2")).length;
    await server.reset();
    expect((await expandDataset(`${dir}/`)).length).toBe(3);
    expect(await lists()).toBe(1);
    await storeFor(dir).put(`${dir}/_SUCCESS`, encodeManifest(makeManifest("parquet", "777777777777", [], files)));
    await server.reset();
    expect((await expandDataset(`${dir}/`)).length).toBe(3);
    expect(await lists()).toBe(0);
    await server.reset();
    expect((await expandDataset(`${dir}/**/*.parquet`)).length).toBe(3);
    expect(await lists()).toBe(1);
  });
});
