// The golden-tree comparator: same object keys, then each object by its format's rules (README of the fixtures).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { storeFor } from "tessera";
import { compareCsv } from "./compare-csv.js";
import { compareJson } from "./compare-json.js";
import { compareTile } from "./compare-tile.js";

export type DifferenceKind = "missing" | "extra" | "content";

/** One way the actual tree differs from the golden one, at an object key relative to the trees' roots. */
export interface TreeDifference {
  readonly key: string;
  readonly kind: DifferenceKind;
  readonly detail: string;
}

type ObjectComparer = (key: string, golden: Uint8Array, actual: Uint8Array) => string[];

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

/** One comparer per object type, by the key's extension; anything else must match byte for byte. */
const COMPARERS: Readonly<Record<string, ObjectComparer>> = {
  csv: (key, g, a) => compareCsv(key, text(g), text(a)),
  json: (_key, g, a) => compareJson(text(g), text(a)),
  tile: compareTile,
};

function bytesEqual(key: string, g: Uint8Array, a: Uint8Array): string[] {
  return Buffer.from(g).equals(Buffer.from(a)) ? [] : [`bytes differ (${g.length} golden, ${a.length} actual)`];
}

const extensionOf = (key: string): string => {
  const name = key.slice(key.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  return dot < 0 ? "" : name.slice(dot + 1);
};

/** A root as the store spells its objects' URLs: local directories absolute, other URLs as they are; ends in "/". */
function storeRoot(root: string): string {
  const local = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(root) ? (root.startsWith("file://") ? fileURLToPath(root) : root) : path.resolve(root);
  return local.endsWith("/") ? local : `${local}/`;
}

/** Every object under `root` (a directory path or URL), by key relative to it. */
async function listTree(root: string): Promise<Map<string, string>> {
  const prefix = storeRoot(root);
  const objects = await storeFor(prefix).list(prefix);
  return new Map(objects.filter((o) => o.url.startsWith(prefix)).map((o) => [o.url.slice(prefix.length), o.url]));
}

/**
 * Compares the tree under `actualRoot` with the golden tree under `goldenRoot` (directories or store URLs):
 * missing and extra keys, then each common object by the rules for its type. Zero differences is conformance.
 */
export async function compareTrees(goldenRoot: string, actualRoot: string): Promise<TreeDifference[]> {
  const golden = await listTree(goldenRoot);
  const actual = await listTree(actualRoot);
  const out: TreeDifference[] = [];
  for (const key of [...golden.keys()].sort()) if (!actual.has(key)) out.push({ key, kind: "missing", detail: "in golden, not in actual" });
  for (const key of [...actual.keys()].sort()) if (!golden.has(key)) out.push({ key, kind: "extra", detail: "in actual, not in golden" });
  for (const key of [...golden.keys()].sort()) {
    const a = actual.get(key);
    if (a === undefined) continue;
    const g = golden.get(key) as string;
    const [gb, ab] = await Promise.all([storeFor(g).get(g), storeFor(a).get(a)]);
    const comparer = COMPARERS[extensionOf(key)] ?? bytesEqual;
    for (const detail of comparer(key, gb, ab)) out.push({ key, kind: "content", detail });
  }
  return out;
}

/** A readable report: one line per difference, or "no differences". */
export function formatDifferences(diffs: readonly TreeDifference[], max = 50): string {
  if (diffs.length === 0) return "no differences";
  const lines = diffs.slice(0, max).map((d) => `${d.kind} ${d.key}: ${d.detail}`);
  if (diffs.length > max) lines.push(`... and ${diffs.length - max} more`);
  return `${diffs.length} difference(s):\n${lines.join("\n")}`;
}
