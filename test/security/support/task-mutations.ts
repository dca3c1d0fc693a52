// Seeded mutations of a task's args (as lowering built them): wrong types, missing and extra fields, huge and negative
// numbers, lying lengths, truncated or retyped typed arrays, long strings, another op's name; and changes that keep
// the checked shape (names, numbers, types swapped within the args) so tasks reach their handlers.
import { OP_NAMES } from "@tessera/ops";

type Rand = () => number;
type Path = readonly (string | number)[];

export interface MutatedTask {
  readonly task: { key: string; op: string; args: unknown; deps: string[]; label?: unknown };
  /** What was changed, for the report (numbers replaced by N so outcomes group). */
  readonly what: string;
}

const pick = <T>(xs: readonly T[], r: Rand): T => xs[Math.floor(r() * xs.length)] as T;

/** Every path into `v` (objects, arrays, typed arrays and leaves), root excluded. */
function paths(v: unknown, at: Path = [], out: Path[] = []): Path[] {
  if (v === null || typeof v !== "object" || ArrayBuffer.isView(v)) return out;
  const entries: [string | number, unknown][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
  for (const [k, x] of entries) {
    const p = [...at, k];
    out.push(p);
    paths(x, p, out);
  }
  return out;
}

/** A deep copy that keeps typed arrays (copied) as typed arrays. */
function clone(v: unknown): unknown {
  if (ArrayBuffer.isView(v)) return (v as Uint8Array).slice();
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(clone);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clone(x)]));
}

function parentOf(root: unknown, p: Path): Record<string | number, unknown> {
  let cur = root as Record<string | number, unknown>;
  for (const k of p.slice(0, -1)) cur = cur[k] as Record<string | number, unknown>;
  return cur;
}

/** Values that break types, bounds and lengths. */
const REPLACEMENTS: readonly [string, (old: unknown, r: Rand) => unknown][] = [
  ["null", () => null],
  ["a string", () => "x"],
  ["-1", () => -1],
  ["2^31", () => 2 ** 31],
  ["2^40", () => 2 ** 40],
  ["2^53+", () => 2 ** 53 + 2],
  ["1e308", () => 1e308],
  ["NaN", () => Number.NaN],
  ["Infinity", () => Number.POSITIVE_INFINITY],
  ["0.5", () => 0.5],
  ["true", () => true],
  ["an empty list", () => []],
  ["an empty object", () => ({})],
  ["a 100 KB string", () => "A".repeat(100_000)],
  ["a nested list", () => { let x: unknown = 1; for (let i = 0; i < 20; i++) x = [x]; return x; }],
  ["a bigint", () => 2n ** 62n],
  ["a truncated typed array", (old) => (ArrayBuffer.isView(old) ? (old as Uint8Array).slice(0, Math.floor((old as Uint8Array).length / 2)) : new Uint8Array(3))],
  ["a typed array of another type", (old) => new Float32Array(ArrayBuffer.isView(old) ? (old as Uint8Array).length : 4)],
  ["a list of many entries", (old) => Array.from({ length: 1000 }, () => clone(Array.isArray(old) ? old[0] : old))],
];

const DTYPES = ["null", "bool", "int8", "int32", "int64", "uint64", "float32", "float64", "utf8", "date32", "timestamp[ms]", "timestamp[ns]"];

/** Every string and number leaf of `v`: plausible values to swap in (column names, URLs, tokens, indices). */
function leaves(v: unknown, out: unknown[] = []): unknown[] {
  if (typeof v === "string" || typeof v === "number") out.push(v);
  else if (v !== null && typeof v === "object" && !ArrayBuffer.isView(v)) for (const x of Object.values(v)) leaves(x, out);
  return out;
}

/**
 * Changes that keep the shape a contract checks, so the task reaches its handler with values that disagree with
 * each other or with the data: another name from the same args, a small or shifted number, another type, a flipped
 * flag, a list missing, repeating or reordering elements.
 */
function plausible(old: unknown, all: readonly unknown[], r: Rand): [string, unknown] {
  if (typeof old === "string") {
    if (DTYPES.includes(old)) return ["another type", pick(DTYPES, r)];
    const strings = all.filter((x): x is string => typeof x === "string");
    return r() < 0.3 ? ["an unknown name", "zz_unknown"] : ["another string of the args", pick(strings, r)];
  }
  if (typeof old === "number") return ["another small number", pick([0, 1, 2, 3, 7, 100, old + 1, Math.max(0, old - 1), old * 2], r)];
  if (typeof old === "boolean") return ["the other boolean", !old];
  if (Array.isArray(old) && old.length > 0) {
    const i = Math.floor(r() * old.length);
    const y = r();
    if (y < 0.4) return ["a list missing an element", old.filter((_, j) => j !== i)];
    if (y < 0.7) return ["a list repeating an element", [...old, clone(old[i])]];
    return ["a list reordered", [...old].reverse()];
  }
  return ["null", null];
}

/** One or two changes to the args (or the op name) of `task`. */
export function mutateTask(task: { key: string; op: string; args: unknown; deps: string[] }, r: Rand): MutatedTask {
  const args = clone(task.args);
  let op = task.op;
  const done: string[] = [];
  const n = 1 + Math.floor(r() * 2);
  for (let i = 0; i < n; i++) {
    const all = paths(args);
    const x = r();
    if (x < 0.05) {
      op = pick(OP_NAMES.filter((o) => o !== task.op), r);
      done.push(`op renamed to ${op}`);
      continue;
    }
    if (all.length === 0) continue;
    const p = pick(all, r);
    const parent = parentOf(args, p);
    const k = p[p.length - 1] as string | number;
    const where = p.map((s) => (typeof s === "number" ? "[i]" : `.${s}`)).join("");
    if (x < 0.12 && !Array.isArray(parent)) {
      delete parent[k];
      done.push(`${where} removed`);
    } else if (x < 0.16 && !Array.isArray(parent)) {
      parent["extra"] = "unexpected";
      done.push(`${where.replace(/\.[^.[]+$|\[i\]$/, "")} given an extra field`);
    } else if (x < 0.8) {
      const [name, value] = plausible(parent[k], leaves(args), r);
      parent[k] = value;
      done.push(`${where} = ${name}`);
    } else {
      const [name, make] = pick(REPLACEMENTS, r);
      parent[k] = make(parent[k], r);
      done.push(`${where} = ${name}`);
    }
  }
  return { task: { ...task, op, args }, what: done.join("; ") || "unchanged" };
}
