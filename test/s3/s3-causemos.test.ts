// The Causemos pipeline to s3:// (s3rver): the same object tree as to file://, byte for byte.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateModelOutput, runCausemos } from "@tessera/causemos";
import { tempDir } from "../support/files.js";
import { readTree } from "../support/tree.js";
import { download, listKeys, rawClient } from "./s3-client.js";
import { startS3rver, useS3Env, type S3rverHandle } from "./s3rver-fixture.js";

let server: S3rverHandle;
let restoreEnv = (): void => undefined;

beforeAll(async () => {
  server = await startS3rver({ buckets: ["models"] });
  restoreEnv = useS3Env(server);
});
afterAll(async () => {
  restoreEnv();
  await server?.close();
});

describe("Causemos to s3://", () => {
  it("writes the tree it writes to file://, object for object and byte for byte", async () => {
    const dir = tempDir("causemos-s3");
    const input = join(dir, "input");
    await generateModelOutput({ points: 25, features: 1, months: 2, perMonth: 1, seed: 11, censusFeature: "population" }).sinkParquet(input, { progress: false });
    const params = { model_id: "m", run_id: "r", data_paths: [input], qualifier_map: { feature1: ["scenario"] } };
    const local = await runCausemos(params, { out: join(dir, "local") });
    const remote = await runCausemos(params, { out: "s3://models/runs" });
    expect(remote.written).toEqual(local.written);
    const s3 = rawClient(server);
    const keys = await listKeys(s3, "models", "runs/");
    const copy = join(dir, "from-s3");
    await download(s3, "models", keys, "runs/", copy);
    const a = readTree(join(dir, "local")), b = readTree(copy);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [k, bytes] of a) expect(Buffer.compare(Buffer.from(bytes), Buffer.from(b.get(k)!)), k).toBe(0);
    expect(a.size).toBe(local.written.objects);
    expect(readFileSync(join(copy, "m/r/results/results.json"), "utf8")).toContain('"has_tiles": true');
  });
});
