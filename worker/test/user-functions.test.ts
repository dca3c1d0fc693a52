// mapBatches references resolve only to installed packages' exported files or to files in TESSERA_FUNCTIONS_DIR.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { functionRefsOf, makeGraphAdmission, resolveUserFunction } from "@tessera/worker";

/** The node_modules folder the worker resolves installed packages from (the repository's own). */
const NODE_MODULES = fileURLToPath(new URL("../../node_modules/", import.meta.url));
const PKG = `tessera-fns-fixture-${process.pid}`;
const BARE = `tessera-fns-bare-${process.pid}`;
let tmp = "";
let allowed = "";
let outside = "";

function refusal(ref: unknown, dirs: string[] = [allowed]): { code: string; message: string } {
  try {
    resolveUserFunction(ref, dirs);
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error(`"${String(ref)}" was not refused`);
}

beforeAll(() => {
  tmp = realpathSync(mkdtempSync(join(tmpdir(), "tessera-fns-")));
  allowed = join(tmp, "allowed");
  outside = join(tmp, "outside");
  mkdirSync(join(allowed, "lib"), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(allowed, "ok.mjs"), "export const f = (b) => b;\n");
  writeFileSync(join(outside, "evil.mjs"), "export const f = (b) => b;\n");
  symlinkSync(join(outside, "evil.mjs"), join(allowed, "link.mjs"));
  symlinkSync(outside, join(allowed, "lib", "out"));
  // An installed package with an exports map, one export being a symlink that leaves the package.
  const pkg = join(NODE_MODULES, PKG);
  mkdirSync(join(pkg, "lib"), { recursive: true });
  writeFileSync(join(pkg, "package.json"), JSON.stringify({
    name: PKG, type: "module", exports: { ".": "./index.mjs", "./ok": "./lib/ok.mjs", "./escape": "./escape.mjs" },
  }));
  writeFileSync(join(pkg, "index.mjs"), "export const f = (b) => b;\n");
  writeFileSync(join(pkg, "lib", "ok.mjs"), "export const f = (b) => b;\n");
  writeFileSync(join(pkg, "lib", "hidden.mjs"), "export const f = (b) => b;\n");
  symlinkSync(join(outside, "evil.mjs"), join(pkg, "escape.mjs"));
  // One without an exports map: only its main entry may be named.
  const bare = join(NODE_MODULES, BARE);
  mkdirSync(bare, { recursive: true });
  writeFileSync(join(bare, "package.json"), JSON.stringify({ name: BARE, type: "module", main: "main.mjs" }));
  writeFileSync(join(bare, "main.mjs"), "export const f = (b) => b;\n");
  writeFileSync(join(bare, "other.mjs"), "export const f = (b) => b;\n");
});

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  rmSync(join(NODE_MODULES, PKG), { recursive: true, force: true });
  rmSync(join(NODE_MODULES, BARE), { recursive: true, force: true });
});

describe("resolveUserFunction", () => {
  it("resolves installed packages through their exports map or main entry, to a real file inside the package", () => {
    const arrow = resolveUserFunction("apache-arrow#tableFromArrays", []);
    expect(fileURLToPath(arrow.url).startsWith(realpathSync(join(NODE_MODULES, "apache-arrow")))).toBe(true);
    expect(arrow.exportName).toBe("tableFromArrays");
    expect(fileURLToPath(resolveUserFunction(`${PKG}#f`, []).url)).toBe(realpathSync(join(NODE_MODULES, PKG, "index.mjs")));
    expect(fileURLToPath(resolveUserFunction(`${PKG}/ok#f`, []).url)).toBe(realpathSync(join(NODE_MODULES, PKG, "lib", "ok.mjs")));
    expect(fileURLToPath(resolveUserFunction(BARE, []).url)).toBe(realpathSync(join(NODE_MODULES, BARE, "main.mjs")));
    expect(resolveUserFunction(BARE, []).exportName).toBe("default");
  });

  it("resolves files inside TESSERA_FUNCTIONS_DIR directories by absolute path", () => {
    expect(fileURLToPath(resolveUserFunction(`${allowed}/ok.mjs#f`, [allowed]).url)).toBe(join(allowed, "ok.mjs"));
  });

  it("refuses package files the exports map does not offer, and subpaths of packages without one", () => {
    expect(refusal(`${PKG}/lib/hidden.mjs#f`)).toMatchObject({ code: "FUNCTION_NOT_FOUND" });
    expect(refusal(`${BARE}/other.mjs#f`)).toMatchObject({ code: "FUNCTION_NOT_ALLOWED" });
    expect(refusal("flatbuffers/js/flatbuffers.js#f").message).toMatch(/no "exports" map/);
    expect(refusal("no-such-package-here#f")).toMatchObject({ code: "FUNCTION_NOT_FOUND" });
  });

  it("refuses symlinks that leave the package or the allowed directory", () => {
    expect(refusal(`${PKG}/escape#f`).message).toMatch(/outside the package's directory/);
    expect(refusal(`${allowed}/link.mjs#f`).message).toMatch(/after symlinks/);
    expect(refusal(`${allowed}/lib/out/evil.mjs#f`).message).toMatch(/after symlinks/);
  });

  it("refuses every other spelling, naming the reference", () => {
    const climb = relative(join(NODE_MODULES, "flatbuffers"), join(outside, "evil.mjs"));
    const hostile = [
      `flatbuffers/${climb}#f`,                 // the package-name escape: Node would resolve the .. segments
      `${allowed}/../outside/evil.mjs#f`,
      `${outside}/evil.mjs#f`,
      `file://${allowed}/ok.mjs#f`,
      `file://${outside}/evil.mjs#f`,
      `${allowed}/%2e%2e/outside/evil.mjs#f`,
      "flatbuffers%2F..%2F..%2Fevil.mjs#f",
      "flatbuffers\\..\\..\\evil.mjs#f",
      `${allowed}//ok.mjs#f`,
      `${allowed}/./ok.mjs#f`,
      "node:child_process#exec",
      "child_process#exec",
      "fs#rmSync",
      "fs/promises#rm",
      "data:text/javascript,export const f=1#f",
      "https://example.invalid/x.mjs#f",
      "./ok.mjs#f",
      "../outside/evil.mjs#f",
      "@scope/../x#f",
      `${PKG}#not-an-identifier`,
      `${PKG}#a#b`,
      `${allowed}/ok.txt#f`,
      "Upper-Case#f",
      "",
      `${allowed}/ok.mjs\n#f`,
    ];
    for (const ref of hostile) {
      const e = refusal(ref);
      expect(e.code, ref).toBe("FUNCTION_NOT_ALLOWED");
      expect(e.message, ref).toContain(`"${ref}"`);
    }
    expect(refusal(42)).toMatchObject({ code: "FUNCTION_NOT_ALLOWED" });
  });
});

describe("graph admission", () => {
  const task = (fn: unknown) => ({
    key: "t", op: "pipeline", deps: [],
    args: { source: { type: "inputs", count: 0, fields: [] }, steps: [{ t: "limit", n: 1, offset: 0 }, { t: "mapBatches", fn, schema: [] }], fields: [] },
  });

  it("finds every mapBatches reference of pipeline tasks, whatever their args hold", () => {
    expect(functionRefsOf(task("a#f"))).toEqual(["a#f"]);
    expect(functionRefsOf({ key: "x", op: "pipeline", deps: [], args: { steps: "not a list" } })).toEqual([]);
    expect(functionRefsOf({ key: "x", op: "noop", deps: [], args: null })).toEqual([]);
  });

  it("refuses a graph holding one bad reference, accepts one holding only allowed ones", () => {
    const admit = makeGraphAdmission({ functionsDirs: [allowed] });
    expect(() => admit({ tasks: [task(`${allowed}/ok.mjs#f`), task(`${PKG}/ok#f`)], outputs: [] })).not.toThrow();
    expect(() => admit({ tasks: [task(`${allowed}/ok.mjs#f`), task(`${allowed}/link.mjs#f`)], outputs: [] }))
      .toThrow(expect.objectContaining({ code: "FUNCTION_NOT_ALLOWED", category: "plan" }));
    expect(() => admit({ tasks: [task(undefined)], outputs: [] })).toThrow(expect.objectContaining({ code: "FUNCTION_NOT_ALLOWED" }));
  });
});
