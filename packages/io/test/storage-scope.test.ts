// StorageScope: which URLs lie inside the operator's prefixes, against traversal, encoding, symlink and case tricks.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STORAGE_SCOPE_ENV, StorageScope } from "@tessera/io";

let root = "";
let allowed = "";
let outside = "";

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "tessera-scope-"));
  allowed = join(root, "allowed");
  outside = join(root, "outside");
  mkdirSync(join(allowed, "sub"), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(outside, "secret.csv"), "a\n1\n");
  symlinkSync(outside, join(allowed, "escape"));                 // a directory link leaving the scope
  symlinkSync(join(outside, "secret.csv"), join(allowed, "secret.csv"));
  symlinkSync(join(allowed, "sub"), join(root, "via-link"));     // a link from outside into the scope
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("StorageScope", () => {
  it("unscoped allows everything", () => {
    const s = StorageScope.unscoped();
    expect(s.isScoped).toBe(false);
    expect(s.allows("/etc/passwd")).toBe(true);
    expect(() => s.check("s3://any/thing", "write")).not.toThrow();
  });

  it("file prefixes hold paths below them by whole segments, as plain paths or file: URLs", () => {
    const s = StorageScope.of([allowed]);
    expect(s.allows(join(allowed, "sub", "x.parquet"))).toBe(true);
    expect(s.allows(`file://${allowed}/sub/x.parquet`)).toBe(true);
    expect(s.allows(allowed)).toBe(true);
    expect(s.allows(`${allowed}-other/x`)).toBe(false);
    expect(s.allows(join(outside, "secret.csv"))).toBe(false);
    expect(StorageScope.of([`file://${allowed}/`]).allows(join(allowed, "a"))).toBe(true);
  });

  it("refuses climbing out with .., double slashes and dot segments resolved first", () => {
    const s = StorageScope.of([allowed]);
    expect(s.allows(`${allowed}/../outside/secret.csv`)).toBe(false);
    expect(s.allows(`${allowed}/sub/../../outside/secret.csv`)).toBe(false);
    expect(s.allows(`${allowed}//sub//./x`)).toBe(true);
    expect(s.allows(`file://${allowed}/sub/../../outside/secret.csv`)).toBe(false);
    expect(s.allows(`${root}//allowed/../outside/x`)).toBe(false);
  });

  it("decodes file: URLs as the file store does: %2e%2e climbs, an encoded slash is refused, plain paths stay literal", () => {
    const s = StorageScope.of([allowed]);
    expect(s.allows(`file://${allowed}/%2e%2e/outside/secret.csv`)).toBe(false);
    expect(s.allows(`file://${allowed}/%2E%2E/outside/secret.csv`)).toBe(false);
    expect(s.allows(`file://${allowed}/..%2Foutside/secret.csv`)).toBe(false);
    expect(s.allows(`file://${allowed}/sub/%78.csv`)).toBe(true);
    // A plain path is opened literally: "%2e%2e" is a directory name here, inside the scope.
    expect(s.allows(`${allowed}/%2e%2e/x`)).toBe(true);
  });

  it("refuses backslashes and control characters anywhere", () => {
    const s = StorageScope.of([allowed, "s3://bucket"]);
    expect(s.allows(`${allowed}\\..\\..\\outside`)).toBe(false);
    expect(s.allows(`file://${allowed}/sub\\..\\..\\..\\outside`)).toBe(false);
    expect(s.allows("s3://bucket/a\\b")).toBe(false);
    expect(s.allows(`${allowed}/a\nb`)).toBe(false);
    expect(s.allows("s3://bucket/a\u0000b")).toBe(false);
  });

  it("follows symlinks: a link inside the scope pointing out is outside, a link from outside pointing in is inside", () => {
    const s = StorageScope.of([allowed]);
    expect(s.allows(join(allowed, "escape", "secret.csv"))).toBe(false);
    expect(s.allows(join(allowed, "escape", "new-dir", "new-file"))).toBe(false);  // not yet existing, below the link
    expect(s.allows(join(allowed, "secret.csv"))).toBe(false);
    expect(s.allows(join(root, "via-link", "x.csv"))).toBe(true);
    // A scope named through a symlink holds the real directory's files.
    expect(StorageScope.of([join(root, "via-link")]).allows(join(allowed, "sub", "y"))).toBe(true);
  });

  it("object stores: bucket by exact name, key prefix by whole segments, literal keys", () => {
    const s = StorageScope.of(["s3://bucket", "s3://shared/team-a/", "memory://scratch"]);
    expect(s.allows("s3://bucket/any/key.parquet")).toBe(true);
    expect(s.allows("s3://bucket")).toBe(true);
    expect(s.allows("s3://bucket-other/key")).toBe(false);
    expect(s.allows("s3://bucke/key")).toBe(false);
    expect(s.allows("s3://shared/team-a/x")).toBe(true);
    expect(s.allows("s3://shared/team-a")).toBe(true);
    expect(s.allows("s3://shared/team-ab/x")).toBe(false);
    expect(s.allows("s3://shared/team-b/x")).toBe(false);
    expect(s.allows("s3://shared//team-a/x")).toBe(false);
    expect(s.allows("s3://shared/team-a//x")).toBe(true);
    expect(s.allows("s3://shared/team-a/../team-b/x")).toBe(false);
    expect(s.allows("s3://shared/team-a/./x")).toBe(false);
    // Keys are literal: a percent sign is a character of the key (hive-escaped values write such keys).
    expect(s.allows("s3://shared/team-a/k=a%2Fb/part.parquet")).toBe(true);
    expect(s.allows("s3://shared/team-a%2F..%2Fteam-b/x")).toBe(false);
    expect(s.allows("memory://scratch/t/x")).toBe(true);
    expect(s.allows("memory://scratchpad/x")).toBe(false);
    expect(s.allows("s3:///bucket/x")).toBe(false);
  });

  it("compares schemes case-insensitively and buckets and paths case-sensitively", () => {
    const s = StorageScope.of(["s3://bucket", allowed]);
    expect(s.allows("S3://bucket/x")).toBe(true);
    expect(s.allows("s3://BUCKET/x")).toBe(false);
    expect(s.allows(`FILE://${allowed}/x`)).toBe(true);
    expect(s.allows(allowed.toUpperCase() + "/x")).toBe(false);
    expect(s.allows(`memory://bucket/x`)).toBe(false);  // same name, another scheme
  });

  it("check() throws a coded error naming the URL and the scope", () => {
    const s = StorageScope.of(["s3://bucket", allowed]);
    let err: unknown;
    try { s.check("/etc/passwd", "read"); } catch (e) { err = e; }
    expect(err).toMatchObject({ code: "STORAGE_OUT_OF_SCOPE", category: "io" });
    expect((err as Error).message).toContain("/etc/passwd");
    expect((err as Error).message).toContain("s3://bucket");
    expect((err as Error).message).toContain(allowed);
    expect(() => s.check("s3://bucket/out/part-0.parquet", "write")).not.toThrow();
  });

  it("reads TESSERA_STORAGE_SCOPE (comma-separated) plus flags, and refuses a prefix it cannot place", () => {
    const s = StorageScope.fromEnv(["memory://m"], { [STORAGE_SCOPE_ENV]: ` s3://bucket , ${allowed},, ` });
    expect(s.prefixes).toEqual(["s3://bucket", allowed, "memory://m"]);
    expect(StorageScope.fromEnv([], {}).isScoped).toBe(false);
    expect(() => StorageScope.of(["s3://"])).toThrow(expect.objectContaining({ code: "IO_BAD_SCOPE" }));
    expect(() => StorageScope.of(["s3://b/../x"])).toThrow(expect.objectContaining({ code: "IO_BAD_SCOPE" }));
  });
});
