// Number formatting shared by the Markdown tables and the console output.

/** Seconds with three significant digits: "0.0123", "1.23", "123". */
export function secs(ms: number | null): string {
  if (ms === null) return "—";
  const s = ms / 1000;
  return s >= 100 ? s.toFixed(0) : s >= 10 ? s.toFixed(1) : s >= 1 ? s.toFixed(2) : s.toPrecision(3);
}

export function mib(bytes: number | null): string {
  return bytes === null ? "—" : (bytes / 2 ** 20).toFixed(0);
}

/** a / b as "2.3×", or "—" when either is missing. */
export function ratio(a: number | null, b: number | null): string {
  if (a === null || b === null || b <= 0) return "—";
  const r = a / b;
  return `${r >= 10 ? r.toFixed(0) : r >= 1 ? r.toFixed(1) : r.toFixed(2)}×`;
}

/** A Markdown table from a header row and body rows. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map((c) => c.replaceAll("|", "\\|")).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}
