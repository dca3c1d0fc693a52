// Python float text, JSON and CSV in the "python" number format, checked against CPython itself as the oracle.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { mulberry32 } from "@tessera/common";
import { csvFromTable, formatJson, formatPythonFloat, formatPythonFloat32, writeCsv } from "@tessera/io";
import { columnFromValues } from "@tessera/kernels";
import { Table, tableFromArrays, vectorFromArray, Float32 } from "apache-arrow";

/** Runs a Python 3 script (the system interpreter) with `input` on stdin; returns its stdout. */
function python(script: string, input: string): string {
  return execFileSync("/usr/bin/python3", ["-c", script], { input, encoding: "utf8", maxBuffer: 1 << 26 });
}

/** Doubles of every magnitude: random bit patterns, round numbers, and the format's boundaries. */
function sampleDoubles(n: number): number[] {
  const rnd = mulberry32(17);
  const out = [1, -1, 0.1, 0.5, 100, 1e15, 9999999999999998, 1e16, 1e17, 1.5e16, 1e-4, 9.999e-5, 1e-5, 1.5e-7, 123456789.125,
    86.47999999999999, 1559372400000, 5e-324, 1.7976931348623157e308, 2 ** 53, 2 ** 53 + 2, 0.30000000000000004];
  const f = new Float64Array(1);
  const u = new Uint32Array(f.buffer);
  while (out.length < n) {
    u[0] = Math.floor(rnd() * 2 ** 32);
    u[1] = Math.floor(rnd() * 2 ** 32);
    const x = f[0] as number;
    if (Number.isFinite(x)) out.push(x);
    out.push(Math.round(rnd() * 1e6) / 10 ** Math.floor(rnd() * 8)); // decimal-looking values
  }
  return out;
}

describe("formatPythonFloat", () => {
  it("writes what CPython's repr(float) writes, for 4,000 doubles of every magnitude", () => {
    const xs = sampleDoubles(4000);
    const expected = python("import sys\nfor l in sys.stdin: print(repr(float.fromhex(l.strip())))", xs.map(hexOf).join("\n") + "\n").trim().split("\n");
    const got = xs.map(formatPythonFloat);
    const diffs = got.map((g, i) => (g === expected[i] ? null : `${xs[i]}: ${g} vs ${expected[i]}`)).filter((d) => d !== null);
    expect(diffs).toEqual([]);
    expect(got.length).toBe(expected.length);
  });

  it("follows the spec's examples and special values", () => {
    expect(["1.0", "100.0", "0.0001", "1e-05", "1.5e-07", "1e+16", "1.2345e+20", "9999999999999998.0", "1559372400000.0", "-0.0", "0.0", "nan", "inf", "-inf"])
      .toEqual([1, 100, 1e-4, 1e-5, 1.5e-7, 1e16, 1.2345e20, 9999999999999998, 1559372400000, -0, 0, NaN, Infinity, -Infinity].map(formatPythonFloat));
  });

  it("prints float32 values with the shortest float32 digits, as NumPy's str(np.float32(x))", () => {
    const xs = [0.1, 1 / 3, 1e-5, 3e10, 16777217, 2.5, -7.1].map(Math.fround);
    const expected = python("import sys, numpy\nfor l in sys.stdin: print(str(numpy.float32(float.fromhex(l.strip()))))", xs.map(hexOf).join("\n") + "\n").trim().split("\n");
    expect(xs.map(formatPythonFloat32)).toEqual(expected);
  });
});

/** The exact value of a double as C99 hex text (what float.fromhex reads). */
function hexOf(x: number): string {
  if (x === 0) return Object.is(x, -0) ? "-0x0p+0" : "0x0p+0";
  const f = new Float64Array([x]);
  const u = new Uint32Array(f.buffer);
  const hi = u[1] as number, lo = u[0] as number;
  const sign = hi >>> 31 ? "-" : "";
  const e = (hi >>> 20) & 0x7ff;
  const mant = ((hi & 0xfffff).toString(16).padStart(5, "0")) + lo.toString(16).padStart(8, "0");
  return e === 0 ? `${sign}0x0.${mant}p-1022` : `${sign}0x1.${mant}p${e - 1023}`;
}

describe("formatJson", () => {
  const value = {
    name: "Région \"A\"\n\t/ é 😀 \u0001 \u007f",
    counts: { a: 3n, b: -12n },
    floats: [4, 0.1, 1e-5, 1e16, -0, NaN, Infinity, -Infinity, 86.47999999999999],
    flags: [true, false, null],
    nested: [[], {}, [{ x: 1.5 }]],
  };

  it("python: the text json.dumps writes for the same value (ints as bigints, floats as numbers)", () => {
    const script = `import json, math\nprint(json.dumps({"name": "R\\u00e9gion \\"A\\"\\n\\t/ \\u00e9 \\U0001F600 \\u0001 \\u007f", "counts": {"a": 3, "b": -12},
 "floats": [4.0, 0.1, 1e-05, 1e+16, -0.0, math.nan, math.inf, -math.inf, 86.47999999999999], "flags": [True, False, None],
 "nested": [[], {}, [{"x": 1.5}]]}), end="")`;
    expect(formatJson(value, { numberFormat: "python" })).toBe(python(script, ""));
  });

  it("default: JSON.stringify's text, with bigints as integers and non-finite numbers as null", () => {
    const plain = { ...value, counts: { a: 3, b: -12 } };
    expect(formatJson(value)).toBe(JSON.stringify(plain));
  });
});

describe("CSV in the python number format", () => {
  it("writes floats as Python floats, NaN and null as empty cells, inf as inf, booleans as True/False", () => {
    const t = tableFromArrays({
      ts: BigInt64Array.from([1546300800000n, 0n, -5n]),
      v: Float64Array.from([1, NaN, Infinity]),
      w: Float64Array.from([86.47999999999999, 1e-5, -0]),
    });
    expect(new TextDecoder().decode(csvFromTable(t, { numberFormat: "python" })))
      .toBe("ts,v,w\n1546300800000,1.0,86.47999999999999\n0,,1e-05\n-5,inf,-0.0\n");
    expect(new TextDecoder().decode(csvFromTable(t))).toBe("ts,v,w\n1546300800000,1,86.47999999999999\n0,NaN,0.00001\n-5,Infinity,0\n");
  });

  it("quotes strings exactly as Python's csv module does (empty strings bare unless a record's only field)", () => {
    const strings = ["plain", "", "has, comma", 'say "hi"', "line\nbreak", "Southern Nations, Nationalities, and Peoples' Region", " lead"];
    const b = { fields: [{ name: "s", type: "utf8" as const, nullable: true }, { name: "b", type: "bool" as const, nullable: true }, { name: "f", type: "float32" as const, nullable: true }],
      columns: [columnFromValues("utf8", strings), columnFromValues("bool", strings.map((_, i) => i % 3 === 0 ? null : i % 2 === 0)), columnFromValues("float32", strings.map((_, i) => i / 10))],
      length: strings.length };
    const got = new TextDecoder().decode(writeCsv([b], b.fields, { numberFormat: "python" }));
    const script = `import csv, sys, json, numpy\nw = csv.writer(sys.stdout, lineterminator="\\n")\nrows = json.loads(sys.stdin.read())\nw.writerow(["s", "b", "f"])\nfor s, b, f in rows: w.writerow([s, "" if b is None else b, str(numpy.float32(f))])`;
    const rows = strings.map((s, i) => [s, i % 3 === 0 ? null : i % 2 === 0, Math.fround(i / 10)]);
    expect(got).toBe(python(script, JSON.stringify(rows)));
  });

  it("quotes a lone carriage return too (newer Pythons do; the system Python 3.11 does not)", () => {
    const t = new Table({ s: vectorFromArray(["cr\ronly"]), n: vectorFromArray([1.5]) });
    expect(new TextDecoder().decode(csvFromTable(t, { numberFormat: "python" }))).toBe('s,n\n"cr\ronly",1.5\n');
  });

  it("quotes a record's only field when it is empty or null", () => {
    const t = new Table({ s: vectorFromArray(["a", "", null]) });
    expect(new TextDecoder().decode(csvFromTable(t, { numberFormat: "python" }))).toBe('s\na\n""\n""\n');
    const f = new Table({ f: vectorFromArray([0.5, null], new Float32()) });
    expect(new TextDecoder().decode(csvFromTable(f, { numberFormat: "python" }))).toBe('f\n0.5\n""\n');
  });

  it("refuses an unknown number format", () => {
    const t = tableFromArrays({ v: Float64Array.from([1]) });
    expect(() => csvFromTable(t, { numberFormat: "r" as never })).toThrow(/numberFormat/);
  });
});
