// Text forms of dates and timestamps for CSV output (ISO 8601, UTC, no zone suffix).
import { civilFromDays as kernelCivilFromDays } from "@tessera/kernels";

const Y = new Int32Array(1);
const M = new Int32Array(1);
const D = new Int32Array(1);

/** [year, month, day] of days since 1970-01-01 (the kernels' calendar, one date at a time). */
export function civilFromDays(days: number): [number, number, number] {
  kernelCivilFromDays(days, Y, M, D, 0);
  return [Y[0] as number, M[0] as number, D[0] as number];
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
