// Text forms of dates and timestamps for CSV output (ISO 8601, UTC, no zone suffix).

/** [year, month, day] of days since 1970-01-01 (Howard Hinnant's civil_from_days). */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** YYYY-MM-DD (years outside 0..9999 get a sign, as ISO 8601's expanded form). */
export function formatDate(days: number): string {
  const [y, m, d] = civilFromDays(days);
  const year = y >= 0 && y <= 9999 ? pad(y, 4) : (y < 0 ? "-" : "+") + pad(Math.abs(y), 6);
  return `${year}-${pad(m, 2)}-${pad(d, 2)}`;
}

/**
 * YYYY-MM-DDTHH:MM:SS, plus a fraction of `fractionDigits` digits (3 for ms, 6 for us, 9 for ns) when it is
 * not zero. `seconds` may be negative; `fraction` is in [0, 10^fractionDigits).
 */
export function formatTimestamp(seconds: number, fraction: number, fractionDigits: number): string {
  const days = Math.floor(seconds / 86400);
  const sod = seconds - days * 86400;
  const hh = Math.floor(sod / 3600), mm = Math.floor((sod % 3600) / 60), ss = sod % 60;
  const frac = fraction === 0 ? "" : `.${pad(fraction, fractionDigits)}`;
  return `${formatDate(days)}T${pad(hh, 2)}:${pad(mm, 2)}:${pad(ss, 2)}${frac}`;
}
