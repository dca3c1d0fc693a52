// Errors leave a worker within the wire's limits: a message quoting a hostile file at length costs the task, not the worker.
import { describe, expect, it } from "vitest";
import { IoError } from "@tessera/common";
import { checkErrorInfo } from "@tessera/protocol";
import { errorInfoOf } from "../src/pool/error-info.js";

describe("errorInfoOf", () => {
  it("clips long messages, codes and names, and drops oversized details, so the scheduler's checks accept them", () => {
    const huge = new IoError(`IO_${"X".repeat(500)}`, `bad CSV /data/f.csv: header [${"x".repeat(700_000)}]`, { url: "/data/f.csv", blob: "y".repeat(100_000) });
    const info = errorInfoOf(huge);
    expect(info.message.length).toBeLessThan(9000);
    expect(info.message.startsWith("bad CSV /data/f.csv: header [xxx")).toBe(true);
    expect(info.message).toMatch(/\(\d+ more characters\)$/);
    expect(info.code.length).toBe(200);
    expect(info.details).toEqual({ truncated: true });
    expect(checkErrorInfo(info)).toBeNull();
    expect(checkErrorInfo(huge.toInfo())).not.toBeNull();
  });

  it("keeps ordinary errors as they are", () => {
    const e = new IoError("IO_BAD_CSV", "bad CSV /d.csv: found 3 fields, expected 4", { url: "/d.csv" });
    expect(errorInfoOf(e)).toEqual(e.toInfo());
  });
});
