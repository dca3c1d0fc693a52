// Join specifications and the output schema of a join, computable from fields alone (the planner uses it).
import { PlanError, assertNever, type Field } from "@tessera/common";
import { columnIndex } from "./sort-keys.js";

export type JoinHow = "inner" | "left" | "right" | "full" | "semi" | "anti";

/**
 * Equi-join on leftOn[k] = rightOn[k]. Key types must match pairwise: the planner casts keys to a common type
 * first (an int32 key never meets an int64 key here). `suffix` renames right columns whose names collide.
 */
export interface JoinSpec {
  readonly leftOn: readonly string[];
  readonly rightOn: readonly string[];
  readonly how: JoinHow;
  readonly suffix: string;
}

/** Where each output column comes from: all left columns, then the non-key right columns. */
export interface JoinLayout {
  readonly fields: Field[];
  readonly leftKeys: number[];
  readonly rightKeys: number[];
  /** Right column indices kept in the output (every right column except the keys), in right order. */
  readonly rightKept: number[];
}

/**
 * Resolves a join's layout and checks it: equal non-zero key counts, existing key columns, equal key types,
 * no duplicate output names after suffixing. Throws PlanError, so the planner can call it before any data exists.
 */
export function joinLayout(leftFields: readonly Field[], rightFields: readonly Field[], spec: JoinSpec): JoinLayout {
  const { leftOn, rightOn, how } = spec;
  checkHow(how);
  if (leftOn.length === 0 || leftOn.length !== rightOn.length) {
    throw new PlanError("JOIN_KEYS_INVALID", `join needs the same non-zero number of left and right keys (got ${leftOn.length} and ${rightOn.length})`);
  }
  const leftKeys = leftOn.map((name) => columnIndex(leftFields, name));
  const rightKeys = rightOn.map((name) => columnIndex(rightFields, name));
  for (let k = 0; k < leftKeys.length; k++) {
    const lf = leftFields[leftKeys[k]!]!;
    const rf = rightFields[rightKeys[k]!]!;
    if (lf.type !== rf.type) {
      throw new PlanError("JOIN_KEY_TYPE_MISMATCH", `join key "${lf.name}" is ${lf.type} but "${rf.name}" is ${rf.type}; cast them to a common type`,
        { left: lf.name, right: rf.name });
    }
  }
  const rightKept = how === "semi" || how === "anti" ? [] : rightFields.map((_, i) => i).filter((i) => !rightKeys.includes(i));
  const leftOptional = how === "right" || how === "full";
  const rightOptional = how === "left" || how === "full";
  const fields: Field[] = leftFields.map((f, i) => {
    const k = leftKeys.indexOf(i);
    if (!leftOptional) return f;
    if (k < 0) return { ...f, nullable: true };
    const rf = rightFields[rightKeys[k]!]!; // coalesced key: left value, else right value
    return { ...f, nullable: how === "right" ? rf.nullable : f.nullable || rf.nullable };
  });
  const names = new Set(fields.map((f) => f.name));
  for (const i of rightKept) {
    const rf = rightFields[i]!;
    const name = names.has(rf.name) ? rf.name + spec.suffix : rf.name;
    if (names.has(name)) {
      throw new PlanError("DUPLICATE_COLUMN", `join output would have two columns named "${name}"; choose another suffix`, { column: name });
    }
    names.add(name);
    fields.push({ name, type: rf.type, nullable: rightOptional || rf.nullable });
  }
  return { fields, leftKeys, rightKeys, rightKept };
}

/** The output fields of `hashJoin(left, right, spec)`; columns from an optional side become nullable. */
export function joinOutputFields(leftFields: readonly Field[], rightFields: readonly Field[], spec: JoinSpec): Field[] {
  return joinLayout(leftFields, rightFields, spec).fields;
}

function checkHow(how: JoinHow): void {
  switch (how) {
    case "inner": case "left": case "right": case "full": case "semi": case "anti": return;
    default: assertNever(how, "join type");
  }
}
