// The golden comparison's notion of equal cells: identical text, or numbers within a relative 1e-9.

/** Relative tolerance of the comparison rules: |a − b| ≤ 1e-9 · max(1, |a|, |b|). */
export const RELATIVE_TOLERANCE = 1e-9;

const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The number a cell's text spells (Python's `inf`/`-inf`/`nan` included), or null for any other text. */
export function parseNumber(text: string): number | null {
  if (NUMERIC.test(text)) return Number(text);
  switch (text) {
    case "inf": case "Infinity": return Infinity;
    case "-inf": case "-Infinity": return -Infinity;
    case "nan": case "NaN": return NaN;
    default: return null;
  }
}

/** Two numbers agree: equal (infinities included), or both finite within the relative tolerance; NaN equals NaN. */
export function numbersClose(a: number, b: number): boolean {
  if (a === b) return true;
  if (a !== a && b !== b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}

/**
 * Two CSV cells agree: identical text, or both numbers that agree. An empty cell is NaN and equals only another
 * empty cell; other text must match exactly.
 */
export function cellsEqual(a: string, b: string): boolean {
  if (a === b) return true;
  if (a === "" || b === "") return false;
  const x = parseNumber(a);
  const y = parseNumber(b);
  return x !== null && y !== null && numbersClose(x, y);
}
