// Parsing CSV field bytes straight into numbers: no substrings on the fast paths.

const D0 = 48, PLUS = 43, MINUS = 45, DOT = 46, LOWER_E = 101, UPPER_E = 69;
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

function latin1(b: Uint8Array, s: number, e: number): string {
  return Buffer.from(b.buffer, b.byteOffset + s, e - s).toString("latin1");
}

/** An integer in bytes [s, e) as a number, or NaN when not an integer. Exact only when |value| < 2^53 (check with isSafeInteger). */
export function parseIntBytes(b: Uint8Array, s: number, e: number): number {
  let i = s, neg = false;
  const c0 = b[i];
  if (c0 === MINUS || c0 === PLUS) { neg = c0 === MINUS; i++; }
  if (i >= e || e - i > 19) return Number.NaN;
  let v = 0;
  for (; i < e; i++) {
    const d = (b[i] as number) - D0;
    if (d < 0 || d > 9) return Number.NaN;
    v = v * 10 + d;
  }
  return neg ? -v : v;
}

/** An integer in bytes [s, e) as a bigint, or null when not an integer (any size). */
export function parseBigIntBytes(b: Uint8Array, s: number, e: number): bigint | null {
  const text = latin1(b, s, e);
  return /^[+-]?\d+$/.test(text) ? BigInt(text) : null;
}

const FLOAT_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL: Readonly<Record<string, number>> = {
  nan: Number.NaN, "+nan": Number.NaN, "-nan": Number.NaN,
  inf: Infinity, "+inf": Infinity, "-inf": -Infinity,
  infinity: Infinity, "+infinity": Infinity, "-infinity": -Infinity,
};

/**
 * A decimal number in bytes [s, e), or undefined when not a number. Accepts NaN/Inf/Infinity (any case).
 * Fast path: at most 15 significant digits and a power of ten up to 22 is exact arithmetic (Clinger), so
 * the result is correctly rounded; everything else goes through Number().
 */
export function parseFloatBytes(b: Uint8Array, s: number, e: number): number | undefined {
  let i = s, neg = false;
  const c0 = b[i];
  if (c0 === MINUS || c0 === PLUS) { neg = c0 === MINUS; i++; }
  let mant = 0, digits = 0, scale = 0, any = false;
  for (; i < e; i++) {
    const d = (b[i] as number) - D0;
    if (d < 0 || d > 9) break;
    any = true;
    if (mant !== 0 || d !== 0) digits++;
    mant = mant * 10 + d;
  }
  if (i < e && b[i] === DOT) {
    for (i++; i < e; i++) {
      const d = (b[i] as number) - D0;
      if (d < 0 || d > 9) break;
      any = true;
      if (mant !== 0 || d !== 0) digits++;
      mant = mant * 10 + d;
      scale--;
    }
  }
  if (any && i < e && (b[i] === LOWER_E || b[i] === UPPER_E)) {
    let j = i + 1, eneg = false, ex = 0, edigits = 0;
    if (b[j] === MINUS || b[j] === PLUS) { eneg = b[j] === MINUS; j++; }
    for (; j < e && edigits < 6; j++, edigits++) {
      const d = (b[j] as number) - D0;
      if (d < 0 || d > 9) break;
      ex = ex * 10 + d;
    }
    if (edigits > 0) { scale += eneg ? -ex : ex; i = j; }
  }
  if (any && i === e && digits <= 15 && scale >= -22 && scale <= 22) {
    const v = scale < 0 ? mant / (POW10[-scale] as number) : mant * (POW10[scale] as number);
    return neg ? -v : v;
  }
  const text = latin1(b, s, e);
  if (FLOAT_TEXT.test(text)) return Number(text);
  return SPECIAL[text.toLowerCase()];
}

/** true/false (any case), 1/0; null when neither. `strict` accepts only true/false (for inference). */
export function parseBoolBytes(b: Uint8Array, s: number, e: number, strict = false): boolean | null {
  const n = e - s;
  if (n === 1 && !strict) return b[s] === 49 ? true : b[s] === D0 ? false : null;
  if (n !== 4 && n !== 5) return null;
  const t = latin1(b, s, e).toLowerCase();
  return t === "true" ? true : t === "false" ? false : null;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function digitsAt(b: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const d = (b[at + k] as number) - D0;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** YYYY-MM-DD at [s, s+10) as days since the epoch, or NaN. */
function dateAt(b: Uint8Array, s: number): number {
  if (b[s + 4] !== MINUS || b[s + 7] !== MINUS) return Number.NaN;
  const y = digitsAt(b, s, 4), m = digitsAt(b, s + 5, 2), d = digitsAt(b, s + 8, 2);
  if (y < 0 || m < 1 || m > 12 || d < 1 || d > (DAYS_IN_MONTH[m - 1] as number)) return Number.NaN;
  if (m === 2 && d === 29 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0))) return Number.NaN;
  return daysFromCivil(y, m, d);
}

/** A YYYY-MM-DD date in bytes [s, e) as days since 1970-01-01, or NaN. */
export function parseDateBytes(b: Uint8Array, s: number, e: number): number {
  return e - s === 10 ? dateAt(b, s) : Number.NaN;
}

/** A point in time: whole seconds since the epoch (UTC) plus nanoseconds within the second. */
export interface Instant { seconds: number; nanos: number }

/**
 * An ISO 8601 date-time in bytes [s, e): `YYYY-MM-DD`, then optionally `T` or a space, `HH:MM[:SS[.fraction]]`
 * and a zone `Z`, `±HH`, `±HHMM` or `±HH:MM`. Without a zone it is taken as UTC. A bare date is midnight when
 * `allowDate`. Writes into `out` and returns true, or returns false when the text is not such a date-time.
 */
export function parseTimestampBytes(b: Uint8Array, s: number, e: number, out: Instant, allowDate = true): boolean {
  if (e - s < 10) return false;
  const days = dateAt(b, s);
  if (Number.isNaN(days)) return false;
  let secs = days * 86400, nanos = 0, i = s + 10;
  if (i === e) {
    if (!allowDate) return false;
    out.seconds = secs; out.nanos = 0;
    return true;
  }
  if (b[i] !== 84 && b[i] !== 116 && b[i] !== 32) return false;  // 'T', 't', ' '
  i++;
  const hh = digitsAt(b, i, 2), mm = b[i + 2] === 58 ? digitsAt(b, i + 3, 2) : -1;
  if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || i + 5 > e) return false;
  secs += hh * 3600 + mm * 60;
  i += 5;
  if (i < e && b[i] === 58) {
    const ss = digitsAt(b, i + 1, 2);
    if (ss < 0 || ss > 60 || i + 3 > e) return false;
    secs += ss;
    i += 3;
    if (i < e && (b[i] === DOT || b[i] === 44)) {
      i++;
      let k = 0, frac = 0;
      for (; i < e; i++, k++) {
        const d = (b[i] as number) - D0;
        if (d < 0 || d > 9) break;
        if (k < 9) frac = frac * 10 + d;
      }
      if (k === 0) return false;
      nanos = k < 9 ? frac * (POW10[9 - k] as number) : frac;
    }
  }
  if (i < e) {
    const z = b[i];
    if ((z === 90 || z === 122) && i + 1 === e) { i++; }  // 'Z'
    else if (z === PLUS || z === MINUS) {
      const oh = digitsAt(b, i + 1, 2);
      let om = 0, j = i + 3;
      if (b[j] === 58) j++;
      if (j + 2 <= e) { om = digitsAt(b, j, 2); j += 2; }
      if (oh < 0 || om < 0 || j !== e) return false;
      const off = oh * 3600 + om * 60;
      secs += z === PLUS ? -off : off;
      i = e;
    } else return false;
  }
  if (i !== e) return false;
  out.seconds = secs; out.nanos = nanos;
  return true;
}
