// hashJoin of every join type against a nested-loop reference with the documented row order, plus the output schema.
import { describe, expect, it } from "vitest";
import type { Field } from "@tessera/common";
import { hashJoin, joinOutputFields, type Batch, type JoinHow, type JoinSpec } from "@tessera/kernels";
import { colOf, dictCol, makeBatch, numCol, randomColumn, rng, rowsOf, sameValue, strCol, type Cell } from "./relational-fixtures.js";

const HOWS: JoinHow[] = ["inner", "left", "right", "full", "semi", "anti"];

/** Nested-loop reference producing output rows in the order hashJoin documents. */
function referenceJoin(left: Batch, right: Batch, spec: JoinSpec): Cell[][] {
  const L = rowsOf(left);
  const R = rowsOf(right);
  const li = spec.leftOn.map((n) => left.fields.findIndex((f) => f.name === n));
  const ri = spec.rightOn.map((n) => right.fields.findIndex((f) => f.name === n));
  const keptRight = right.fields.map((_, i) => i).filter((i) => !ri.includes(i));
  const match = (l: Cell[], r: Cell[]): boolean => li.every((k, j) => sameValue(l[k]!, r[ri[j]!]!));
  const coalesce = spec.how === "right" || spec.how === "full";
  const row = (l: Cell[] | null, r: Cell[] | null): Cell[] => {
    const lpart = left.fields.map((_, i) => {
      const k = li.indexOf(i);
      if (l !== null) return l[i]!;
      return coalesce && k >= 0 ? r![ri[k]!]! : null;
    });
    return [...lpart, ...keptRight.map((i) => (r === null ? null : r[i]!))];
  };
  const out: Cell[][] = [];
  switch (spec.how) {
    case "semi": case "anti":
      for (const l of L) if (R.some((r) => match(l, r)) === (spec.how === "semi")) out.push(l);
      return out;
    case "inner": case "left": case "full":
      for (const l of L) {
        const ms = R.filter((r) => match(l, r));
        for (const r of ms) out.push(row(l, r));
        if (ms.length === 0 && spec.how !== "inner") out.push(row(l, null));
      }
      if (spec.how === "full") for (const r of R) if (!L.some((l) => match(l, r))) out.push(row(null, r));
      return out;
    case "right":
      for (const r of R) {
        const ms = L.filter((l) => match(l, r));
        for (const l of ms) out.push(row(l, r));
        if (ms.length === 0) out.push(row(null, r));
      }
      return out;
  }
}

describe("hashJoin", () => {
  it("matches the nested-loop reference for every join type on random single and multi-column keys", () => {
    const keyTypes = ["int32", "int64", "float64", "utf8", "dict", "bool", "date32"] as const;
    for (let seed = 1; seed <= 40; seed++) {
      const r = rng(seed);
      const nk = 1 + (seed % 2);
      const types = Array.from({ length: nk }, () => keyTypes[Math.floor(r() * keyTypes.length)]!);
      const side = (n: number, tag: string): Batch => {
        const cols: Record<string, ReturnType<typeof randomColumn>> = {};
        types.forEach((t, k) => {
          // a dict key may meet a plain string key on the other side: both are utf8
          const phys = t === "dict" || t === "utf8" ? (r() < 0.5 ? "dict" : "utf8") : t;
          cols[`${tag}k${k}`] = randomColumn(phys, n, r, { distinct: 4, nulls: 0.2 });
        });
        cols.v = numCol("int32", Array.from({ length: n }, (_, i) => i));
        cols[`only_${tag}`] = randomColumn("utf8", n, r, { distinct: 5 });
        return makeBatch(cols);
      };
      const left = side(Math.floor(r() * 25), "l");
      const right = side(Math.floor(r() * 25), "r");
      for (const how of HOWS) {
        const spec: JoinSpec = { leftOn: types.map((_, k) => `lk${k}`), rightOn: types.map((_, k) => `rk${k}`), how, suffix: "_right" };
        const out = hashJoin(left, right, spec);
        expect(rowsOf(out), `seed ${seed} ${how} ${types.join(",")}`).toEqual(referenceJoin(left, right, spec));
        expect(out.fields).toEqual(joinOutputFields(left.fields, right.fields, spec));
      }
    }
  });

  it("handles empty sides for every join type", () => {
    const full = makeBatch({ k: numCol("int64", [1n, null, 2n]), a: strCol(["x", "y", "z"]) });
    const empty = makeBatch({ k: numCol("int64", []), a: strCol([]) });
    for (const how of HOWS) {
      for (const [left, right] of [[full, empty], [empty, full], [empty, empty]] as const) {
        const spec: JoinSpec = { leftOn: ["k"], rightOn: ["k"], how, suffix: "_r" };
        const out = hashJoin(left, right, spec);
        expect(rowsOf(out), `${how} ${left.length}x${right.length}`).toEqual(referenceJoin(left, right, spec));
        expect(out.fields.map((f) => f.name)).toEqual(how === "semi" || how === "anti" ? ["k", "a"] : ["k", "a", "a_r"]);
      }
    }
  });

  it("never matches null keys, and keeps null-key left rows in left, full and anti output", () => {
    const left = makeBatch({ k: numCol("int32", [1, null, 2]), a: strCol(["l1", "lnull", "l2"]) });
    const right = makeBatch({ k: numCol("int32", [null, 1, 1]), b: strCol(["rnull", "r1a", "r1b"]) });
    const join = (how: JoinHow): Cell[][] => rowsOf(hashJoin(left, right, { leftOn: ["k"], rightOn: ["k"], how, suffix: "_right" }));
    expect(join("inner")).toEqual([[1, "l1", "r1a"], [1, "l1", "r1b"]]);
    expect(join("left")).toEqual([[1, "l1", "r1a"], [1, "l1", "r1b"], [null, "lnull", null], [2, "l2", null]]);
    expect(join("right")).toEqual([[null, null, "rnull"], [1, "l1", "r1a"], [1, "l1", "r1b"]]);
    expect(join("full")).toEqual([[1, "l1", "r1a"], [1, "l1", "r1b"], [null, "lnull", null], [2, "l2", null], [null, null, "rnull"]]);
    expect(join("semi")).toEqual([[1, "l1"]]);
    expect(join("anti")).toEqual([[null, "lnull"], [2, "l2"]]);
  });

  it("coalesces keys in right and full joins and suffixes colliding right columns", () => {
    const left = makeBatch({ id: dictCol(["x", "y"]), v: numCol("int32", [1, 2]) });
    const right = makeBatch({ key: strCol(["y", "z"]), v: numCol("int32", [20, 30]), w: numCol("float64", [0.5, 1.5]) });
    const out = hashJoin(left, right, { leftOn: ["id"], rightOn: ["key"], how: "full", suffix: "_r" });
    expect(out.fields.map((f) => f.name)).toEqual(["id", "v", "v_r", "w"]);
    expect(colOf(out, "id")).toEqual(["x", "y", "z"]);
    expect(colOf(out, "v")).toEqual([1, 2, null]);
    expect(colOf(out, "v_r")).toEqual([null, 20, 30]);
  });

  it("joins on -0/0 and NaN/NaN as equal values", () => {
    const left = makeBatch({ k: numCol("float64", [0, Number.NaN, 1]) });
    const right = makeBatch({ k: numCol("float64", [Number.NaN, -0]), t: strCol(["nan", "negzero"]) });
    const out = hashJoin(left, right, { leftOn: ["k"], rightOn: ["k"], how: "inner", suffix: "_right" });
    expect(colOf(out, "t")).toEqual(["negzero", "nan"]);
  });
});

describe("joinOutputFields", () => {
  const lf: Field[] = [{ name: "k", type: "int64", nullable: false }, { name: "a", type: "utf8", nullable: false }];
  const rf: Field[] = [{ name: "k2", type: "int64", nullable: true }, { name: "a", type: "float64", nullable: false }];
  const fields = (how: JoinHow): Field[] => joinOutputFields(lf, rf, { leftOn: ["k"], rightOn: ["k2"], how, suffix: "_right" });

  it("makes the optional side nullable and types coalesced keys by the left key", () => {
    expect(fields("inner")).toEqual([lf[0], lf[1], { name: "a_right", type: "float64", nullable: false }]);
    expect(fields("left")).toEqual([lf[0], lf[1], { name: "a_right", type: "float64", nullable: true }]);
    expect(fields("right")).toEqual([{ name: "k", type: "int64", nullable: true }, { name: "a", type: "utf8", nullable: true },
      { name: "a_right", type: "float64", nullable: false }]);
    expect(fields("full")).toEqual([{ name: "k", type: "int64", nullable: true }, { name: "a", type: "utf8", nullable: true },
      { name: "a_right", type: "float64", nullable: true }]);
    expect(fields("semi")).toEqual(lf);
    expect(fields("anti")).toEqual(lf);
  });

  it("reports bad keys and name clashes as PlanErrors", () => {
    expect(() => joinOutputFields(lf, rf, { leftOn: ["k"], rightOn: ["a"], how: "inner", suffix: "_r" }))
      .toThrow(expect.objectContaining({ code: "JOIN_KEY_TYPE_MISMATCH" }));
    expect(() => joinOutputFields(lf, rf, { leftOn: ["k"], rightOn: ["nope"], how: "inner", suffix: "_r" }))
      .toThrow(expect.objectContaining({ code: "COLUMN_NOT_FOUND" }));
    expect(() => joinOutputFields(lf, rf, { leftOn: [], rightOn: [], how: "inner", suffix: "_r" }))
      .toThrow(expect.objectContaining({ code: "JOIN_KEYS_INVALID" }));
    expect(() => joinOutputFields(lf, rf, { leftOn: ["k"], rightOn: ["k2"], how: "inner", suffix: "" }))
      .toThrow(expect.objectContaining({ code: "DUPLICATE_COLUMN" }));
  });

  it("keeps a side's columns as they are when its rows come out once each, in order, and gathers otherwise", () => {
    const n = 500;
    const left = makeBatch({ k: numCol("int32", Array.from({ length: n }, (_, i) => (i * 7) % 600)), a: strCol(Array.from({ length: n }, (_, i) => `a${i}`)), d: dictCol(Array.from({ length: n }, (_, i) => `d${i % 9}`)) });
    // Unique right keys, some left keys without a match: every left row once, in order.
    const unique = makeBatch({ k: numCol("int32", Array.from({ length: 400 }, (_, i) => 3 * i)), b: numCol("float64", Array.from({ length: 400 }, (_, i) => i / 4)) });
    for (const how of ["left", "semi", "anti", "inner"] as const) {
      const spec: JoinSpec = { leftOn: ["k"], rightOn: ["k"], how, suffix: "_r" };
      const out = hashJoin(left, unique, spec);
      expect(rowsOf(out), how).toEqual(referenceJoin(left, unique, spec));
      // left: all rows; semi over an all-matching right side (below); the others drop rows and gather.
      if (how === "left") left.columns.forEach((c, i) => expect(out.columns[i]).toBe(c));
      else left.columns.forEach((c, i) => expect(out.columns[i]).not.toBe(c));
    }
    const everything = makeBatch({ k: numCol("int32", Array.from({ length: 600 }, (_, i) => i)) });
    const semi = hashJoin(left, everything, { leftOn: ["k"], rightOn: ["k"], how: "semi", suffix: "_r" });
    left.columns.forEach((c, i) => expect(semi.columns[i]).toBe(c));
    // Duplicated right keys: left rows repeat, so they are gathered.
    const twice = makeBatch({ k: numCol("int32", [0, 0, 7, 14]), b: numCol("float64", [1, 2, 3, 4]) });
    const spec: JoinSpec = { leftOn: ["k"], rightOn: ["k"], how: "left", suffix: "_r" };
    const dup = hashJoin(left, twice, spec);
    expect(rowsOf(dup)).toEqual(referenceJoin(left, twice, spec));
    expect(dup.columns[1]).not.toBe(left.columns[1]);
    // The right side once each, in order: a right join onto a left side holding each key once, in the right's order.
    const r = makeBatch({ k: numCol("int32", [0, 7, 14, 21]), b: strCol(["p", "q", "r", "s"]) });
    const rj = hashJoin(left, r, { leftOn: ["k"], rightOn: ["k"], how: "inner", suffix: "_r" });
    expect(rowsOf(rj)).toEqual(referenceJoin(left, r, { leftOn: ["k"], rightOn: ["k"], how: "inner", suffix: "_r" }));
    expect(rj.columns[3]).toBe(r.columns[1]);
  });
});
