// Hash equi-join of two batches (build on the right, probe with the left), for every SQL join type plus semi/anti.
import { assertNever } from "@tessera/common";
import type { Field } from "@tessera/common";
import type { Batch, Column } from "../column.js";
import { concatColumns } from "../concat.js";
import { buildHashIndex, probeHashIndex, probeKeyCodes } from "../hash-index.js";
import { hasMissing, isIdentity, takeColumn } from "../take.js";
import { joinLayout, type JoinLayout, type JoinSpec } from "./join-fields.js";
import {
  fullJoinIndices, leftJoinIndices, orderPairs, rightJoinIndices, type JoinIndices,
} from "./join-pairs.js";

/**
 * Joins `left` and `right` on leftOn[k] = rightOn[k]. The hash table is built on `right` (the planner puts the
 * smaller side there for inner joins). Null keys never match (SQL); a left row with a null key appears only in
 * left, full and anti output. Output: all left columns, then the right non-key columns (names colliding with a
 * left column get `suffix`); semi/anti output left columns only. For right and full joins the key columns
 * (named as the left keys) hold the left value when the row has a left side, else the right value.
 * Row order: inner/left/semi/anti follow left rows (each left row's matches in right order); right joins are
 * grouped by right row in right order (matches in left order); full = the left join's rows, then unmatched
 * right rows in right order. Schema: joinOutputFields.
 */
export function hashJoin(left: Batch, right: Batch, spec: JoinSpec): Batch {
  const layout = joinLayout(left.fields, right.fields, spec);
  const leftKeys = layout.leftKeys.map((i) => left.columns[i]!);
  const rightKeys = layout.rightKeys.map((i) => right.columns[i]!);
  const index = buildHashIndex(rightKeys);
  const how = spec.how;
  if (how === "semi" || how === "anti") {
    const codes = probeKeyCodes(index, leftKeys); // code >= 0: the left row has at least one match
    const keep = how === "semi";
    let m = 0;
    for (let i = 0; i < codes.length; i++) if (codes[i]! >= 0 === keep) m++;
    const rows = new Int32Array(m);
    for (let i = 0, k = 0; i < codes.length; i++) if (codes[i]! >= 0 === keep) rows[k++] = i;
    const all = isIdentity(rows, left.length);
    return { fields: layout.fields, columns: left.columns.map((c) => (all ? c : takeColumn(c, rows, false))), length: m };
  }
  const probe = probeHashIndex(index, leftKeys);
  const pairs = orderPairs(probe.probeRow, probe.buildRow);
  let idx: JoinIndices;
  switch (how) {
    case "inner": idx = pairs; break;
    case "left": idx = leftJoinIndices(pairs, left.length); break;
    case "right": idx = rightJoinIndices(pairs, right.length); break;
    case "full": idx = fullJoinIndices(pairs, left.length, right.length); break;
    default: return assertNever(how, "join type");
  }
  return assemble(left, right, layout, idx, how === "right" || how === "full");
}

/**
 * The joined columns. A side whose rows come out once each, in order (a left join whose right keys are unique, say),
 * keeps its columns as they are: no gather, and a source decoded into shared memory is passed on without a copy.
 */
function assemble(left: Batch, right: Batch, layout: JoinLayout, idx: JoinIndices, coalesceKeys: boolean): Batch {
  const leftAll = isIdentity(idx.left, left.length), rightAll = isIdentity(idx.right, right.length);
  // Whether a side has null rows (-1), asked once for all its columns.
  const leftMissing = !leftAll && hasMissing(idx.left), rightMissing = !rightAll && hasMissing(idx.right);
  const columns: Column[] = left.columns.map((col, i) => {
    const k = layout.leftKeys.indexOf(i);
    if (!coalesceKeys || k < 0) return leftAll ? col : takeColumn(col, idx.left, leftMissing);
    return coalesceKey(col, right.columns[layout.rightKeys[k]!]!, layout.fields[i]!, idx);
  });
  for (const r of layout.rightKept) columns.push(rightAll ? right.columns[r]! : takeColumn(right.columns[r]!, idx.right, rightMissing));
  return { fields: layout.fields, columns, length: idx.left.length };
}

/** The key column of a right/full join: the left key where the row has a left side, else the right key. */
function coalesceKey(leftKey: Column, rightKey: Column, field: Field, idx: JoinIndices): Column {
  const nLeft = leftKey.length;
  const m = idx.left.length;
  const pick = new Int32Array(m); // rows of concat(leftKey, rightKey)
  for (let j = 0; j < m; j++) {
    const l = idx.left[j]!;
    pick[j] = l >= 0 ? l : nLeft + idx.right[j]!;
  }
  return takeColumn(concatColumns([leftKey, rightKey], field.type), pick, false);
}
