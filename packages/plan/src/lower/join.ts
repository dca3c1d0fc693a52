// Lowers joins: broadcast the small side when the join kind allows it, else hash-shuffle both sides.
import type { Field, Schema } from "@tessera/common";
import { promoteNumeric } from "@tessera/common";
import type { ExprNode } from "@tessera/expr";
import type { JoinHow } from "../nodes.js";
import type { GraphBuilder, PendingPart, Stage } from "./builder.js";
import { concatOf, isPending, mapStage } from "./builder.js";
import type { JoinSpec } from "@tessera/kernels";
import type { Step } from "@tessera/ops";

/** A right side estimated at or below this many rows is broadcast to every left partition. */
export const DEFAULT_BROADCAST_ROWS = 2_000_000;
const BROADCASTABLE: readonly JoinHow[] = ["inner", "left", "semi", "anti"];

export interface JoinOptions { readonly broadcastRows: number }

/** Casts join keys of different numeric types to one type on both sides, so hashes and equality agree. */
function alignKeys(left: Stage, right: Stage, spec: JoinSpec): { left: Stage; right: Stage } {
  const lcasts: ExprNode[] = [];
  const rcasts: ExprNode[] = [];
  let lf: Field[] = [...left.fields];
  let rf: Field[] = [...right.fields];
  spec.leftOn.forEach((ln, i) => {
    const rn = spec.rightOn[i] as string;
    const l = left.fields.find((f) => f.name === ln);
    const r = right.fields.find((f) => f.name === rn);
    if (!l || !r || l.type === r.type) return;
    const t = promoteNumeric(l.type, r.type);
    if (t === null) return;
    if (l.type !== t) { lcasts.push({ op: "alias", arg: { op: "cast", arg: { op: "col", name: ln }, to: t }, name: ln }); lf = lf.map((f) => (f.name === ln ? { ...f, type: t } : f)); }
    if (r.type !== t) { rcasts.push({ op: "alias", arg: { op: "cast", arg: { op: "col", name: rn }, to: t }, name: rn }); rf = rf.map((f) => (f.name === rn ? { ...f, type: t } : f)); }
  });
  return {
    left: lcasts.length ? mapStage(left, { t: "withColumns", exprs: lcasts }, lf, "join-cast") : left,
    right: rcasts.length ? mapStage(right, { t: "withColumns", exprs: rcasts }, rf, "join-cast") : right,
  };
}

export function lowerJoin(g: GraphBuilder, leftIn: Stage, rightIn: Stage, spec: JoinSpec, fields: Schema, opts: JoinOptions): Stage {
  const { left, right } = alignKeys(leftIn, rightIn, spec);
  const rows = Math.max(left.rows, right.rows);
  // Broadcasting builds the right side's hash index once per left partition: only while those builds cost less
  // than probing the left side once (else both sides are shuffled and every row is indexed once).
  const replicated = right.rows * Math.max(0, left.parts.length - 1);
  const broadcast = BROADCASTABLE.includes(spec.how) &&
    ((right.rows <= opts.broadcastRows && replicated <= left.rows) || (right.parts.length === 1 && left.parts.length === 1));
  if (left.parts.length === 1 && right.parts.length === 1 || broadcast) {
    const rightKeys = g.materializeAll(right);
    const parts = left.parts.map((p) => {
      const base: PendingPart = isPending(p) ? p : { source: { type: "inputs", count: 1, fields: left.fields }, deps: [p.key], steps: [], label: "join" };
      const side = rightKeys.map((_, i) => base.deps.length + i);
      const step: Step = { t: "join", spec, side, rightFields: right.fields };
      return { ...base, deps: [...base.deps, ...rightKeys], steps: [...base.steps, step], label: "join" };
    });
    return { parts, fields, rows };
  }
  // Hash shuffle: bucket j of the left meets bucket j of the right.
  const n = Math.max(left.parts.length, right.parts.length);
  const lsplit = g.materializeAll(mapStage(left, { t: "hashSplit", keys: spec.leftOn, n }, left.fields, "join-split-left"));
  const rsplit = g.materializeAll(mapStage(right, { t: "hashSplit", keys: spec.rightOn, n }, right.fields, "join-split-right"));
  const parts = [];
  for (let j = 0; j < n; j++) {
    const lp = lsplit.map((k) => g.pick(k, j));
    const rp = rsplit.map((k) => g.pick(k, j));
    const side = rp.map((_, i) => lp.length + i);
    parts.push(concatOf(lp, left.fields, [{ t: "join", spec, side, rightFields: right.fields }], "join", rp));
  }
  return { parts, fields, rows };
}
