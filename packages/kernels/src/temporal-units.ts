// Temporal units: conversions between date32 and timestamp units, and civil (proleptic Gregorian, UTC) calendar math.
import type { DType } from "@tessera/common";
import { InternalError } from "@tessera/common";

/** Stored units per second of a timestamp type. */
export function unitsPerSecond(t: DType): number {
  switch (t) {
    case "timestamp[s]": return 1;
    case "timestamp[ms]": return 1e3;
    case "timestamp[us]": return 1e6;
    case "timestamp[ns]": return 1e9;
    default: throw new InternalError("NOT_TIMESTAMP", `${t} is not a timestamp type`);
  }
}

/** Stored units per day of a temporal type (date32: 1). */
export function unitsPerDay(t: DType): number {
  return t === "date32" ? 1 : 86400 * unitsPerSecond(t);
}

/** The finer of two temporal types (timestamps are finer than date32). */
export function finerTemporal(a: DType, b: DType): DType {
  return unitsPerDay(a) >= unitsPerDay(b) ? a : b;
}

/** Days since 1970-01-01 → year, month (1-12), day (1-31), written to the out arrays at i (H. Hinnant's civil_from_days). */
export function civilFromDays(z0: number, year: Int32Array, month: Int32Array, day: Int32Array, i: number): void {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  year[i] = yoe + era * 400 + (m <= 2 ? 1 : 0);
  month[i] = m;
  day[i] = d;
}

/** Days since 1970-01-01 of a civil date (month 1-12). */
export function daysFromCivil(y0: number, m: number, d: number): number {
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
