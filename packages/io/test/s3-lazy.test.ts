// Registering and importing s3:// costs nothing: the AWS SDK loads on the first s3 request, never for file:// users.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";

// Runs in a fresh Node process: the SDK is CommonJS, so require.cache shows whether it was loaded.
const SCRIPT = `
import { createRequire } from "node:module";
const cache = createRequire(import.meta.url + "/../package.json").cache;
const sdk = () => Object.keys(cache).some((k) => k.includes("@aws-sdk/client-s3"));
const io = await import("@tessera/io");
await io.storeFor("/tmp").list("/tmp/tessera-no-such-dir/");
io.registerS3({ endpoint: "http://127.0.0.1:1", credentials: { accessKeyId: "k", secretAccessKey: "s" }, maxAttempts: 1 });
const before = sdk();
const code = await io.storeFor("s3://b/k").head("s3://b/k").then(() => "ok", (e) => e.code);
console.log(JSON.stringify({ before, after: sdk(), code }));
`;

describe("lazy s3", () => {
  it("loads @aws-sdk/client-s3 only when an s3:// URL is first used", () => {
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", SCRIPT], {
      cwd: new URL("..", import.meta.url),
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", AWS_EC2_METADATA_DISABLED: "true" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(JSON.parse(out.trim().split("\n").pop() as string)).toEqual({ before: false, after: true, code: "IO_UNREACHABLE" });
  });
});
