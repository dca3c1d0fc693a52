// The package layering: every package imports only packages below it, scheduler and worker are siblings, and no
// folder has an import cycle. Read from the sources, so a new import that breaks the layering fails here.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Bottom to top; a package may import only packages of lower layers (scheduler and worker share one). */
const LAYERS: readonly (readonly string[])[] = [
  ["common"], ["expr"], ["graph"], ["kernels"], ["io"], ["raster"], ["protocol"], ["ops"], ["plan"], ["scheduler", "worker"], ["client"], ["cluster"],
  ["dataframe"], ["tessera"], ["causemos"], ["cli"],
];
const DIRS: Record<string, string> = { scheduler: "scheduler/src", worker: "worker/src" };
const srcOf = (pkg: string): string => join(ROOT, DIRS[pkg] ?? `packages/${pkg}/src`);
const layerOf = (pkg: string): number => LAYERS.findIndex((l) => l.includes(pkg));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** Static imports and re-exports (`from "x"`), side-effect imports (`import "x"`) and dynamic imports (`import("x")`, `import(name)`). */
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)["'`]([^"'`]+)["'`]/g;
/** A module specifier held in a constant, for `import(NAME)`: `const NAME = "@tessera/x"` is read as an import of it. */
const SPECIFIER = /["'`]((?:@tessera\/[a-z]+|tessera)(?:\/[^"'`]*)?)["'`]/g;
const importsOf = (file: string): string[] => {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(IMPORT), ...(/\bimport\s*\(\s*[^"'`\s)]/.test(text) ? [...text.matchAll(SPECIFIER)] : [])].map((m) => m[1] as string);
};
const packageOf = (spec: string): string | null => (spec === "tessera" || spec.startsWith("tessera/") ? "tessera" : /^@tessera\/([a-z]+)/.exec(spec)?.[1] ?? null);

describe("package layering", () => {
  it("lists every workspace package in exactly one layer", () => {
    const listed = LAYERS.flat().sort();
    const present = [...readdirSync(join(ROOT, "packages")).filter((d) => statSync(join(ROOT, "packages", d)).isDirectory()), "scheduler", "worker"].sort();
    expect(listed).toEqual(present);
  });

  for (const pkg of LAYERS.flat()) {
    it(`${pkg} imports only packages below it`, () => {
      const above: string[] = [];
      for (const f of files(srcOf(pkg))) {
        for (const spec of importsOf(f)) {
          const dep = packageOf(spec);
          if (dep !== null && dep !== pkg && layerOf(dep) >= layerOf(pkg)) above.push(`${relative(ROOT, f)} imports ${spec}`);
        }
      }
      expect(above).toEqual([]);
    });
  }

  it("catches dynamic imports of a package above, by string or through a constant", () => {
    const dir = mkdtempSync(join(tmpdir(), "tessera-layering-"));
    try {
      const a = join(dir, "a.ts"), b = join(dir, "b.ts"), c = join(dir, "c.ts");
      writeFileSync(a, 'const m = await import("@tessera/causemos");\n');
      writeFileSync(b, 'const NAME = "@tessera/causemos";\nconst m = await import(NAME);\n');
      writeFileSync(c, 'import "@tessera/causemos/tile-encoder";\n');
      for (const f of [a, b, c]) expect(importsOf(f).map(packageOf), f).toContain("causemos");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("worker and client never import the scheduler", () => {
    const hits = ["worker", "client"].flatMap((p) => files(srcOf(p)).filter((f) => importsOf(f).includes("@tessera/scheduler")));
    expect(hits).toEqual([]);
  });

  it("no folder has an import cycle between its files", () => {
    const graph = new Map<string, string[]>();
    for (const pkg of LAYERS.flat()) {
      for (const f of files(srcOf(pkg))) {
        graph.set(f, importsOf(f).filter((s) => s.startsWith(".")).map((s) => normalize(join(dirname(f), s.replace(/\.js$/, ".ts")))));
      }
    }
    const cycles: string[] = [];
    const state = new Map<string, 1 | 2>();
    const path: string[] = [];
    const visit = (f: string): void => {
      if (state.get(f) === 2) return;
      if (state.get(f) === 1) { cycles.push([...path.slice(path.indexOf(f)), f].map((x) => relative(ROOT, x)).join(" -> ")); return; }
      state.set(f, 1);
      path.push(f);
      for (const d of graph.get(f) ?? []) if (graph.has(d)) visit(d);
      path.pop();
      state.set(f, 2);
    };
    for (const f of graph.keys()) visit(f);
    expect(cycles).toEqual([]);
  });
});
