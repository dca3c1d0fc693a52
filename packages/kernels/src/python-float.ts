// Python's float text (`repr(float)`): the shortest round-trip digits, always a fraction or an exponent.

/** Shortest digits and decimal exponent of a finite, non-zero |x|, from the text `toExponential()` gives. */
function digitsOf(x: number): { sign: string; digits: string; exp: number } {
  const s = x.toExponential();
  const e = s.indexOf("e");
  const mantissa = s.slice(0, e);
  const neg = mantissa.charCodeAt(0) === 45;
  const digits = (neg ? mantissa.slice(1) : mantissa).replace(".", "");
  return { sign: neg ? "-" : "", digits, exp: Number(s.slice(e + 1)) };
}

/** Places shortest digits the way CPython's float_repr does: positional for 1e-4 <= |x| < 1e16, else scientific. */
function place(sign: string, d: string, exp: number): string {
  if (exp < -4 || exp >= 16) {
    const mant = d.length > 1 ? `${d[0]}.${d.slice(1)}` : d;
    const e = String(Math.abs(exp)).padStart(2, "0");
    return `${sign}${mant}e${exp < 0 ? "-" : "+"}${e}`;
  }
  if (exp >= 0) {
    const whole = d.slice(0, exp + 1).padEnd(exp + 1, "0");
    const frac = d.slice(exp + 1);
    return `${sign}${whole}.${frac.length > 0 ? frac : "0"}`;
  }
  return `${sign}0.${"0".repeat(-exp - 1)}${d}`;
}

/**
 * `x` as Python 3 prints a float: `1.0`, `0.0001`, `1e-05`, `1.5e+16`, `86.47999999999999`, `-0.0`, and
 * `nan` / `inf` / `-inf`. The digits are the shortest that read back as `x` (those of Number#toString).
 */
export function formatPythonFloat(x: number): string {
  if (x !== x) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  // Where both print positionally (1e-4 <= |x| < 1e16), JavaScript's shortest digits are Python's; a whole number gets ".0".
  const a = x < 0 ? -x : x;
  if (a >= 1e-4 && a < 1e16) {
    const s = String(x);
    return s.includes(".") ? s : `${s}.0`;
  }
  const { sign, digits, exp } = digitsOf(x);
  return place(sign, digits, exp);
}

/**
 * A float32 value as Python prints a NumPy float32 (`str(np.float32(x))`): the shortest digits that read back
 * as the same float32, placed as formatPythonFloat places them.
 */
export function formatPythonFloat32(x: number): string {
  if (x !== x || x === Infinity || x === -Infinity || x === 0) return formatPythonFloat(x);
  const f = Math.fround(x);
  for (let p = 1; p <= 9; p++) {
    const s = f.toPrecision(p);
    if (Math.fround(Number(s)) === f) {
      const { sign, digits, exp } = digitsOf(Number(s));
      return place(sign, digits, exp);
    }
  }
  return formatPythonFloat(f);
}
