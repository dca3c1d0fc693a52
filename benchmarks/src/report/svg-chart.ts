// A grouped horizontal bar chart as a self-contained SVG string (no external service, no dependencies).

export interface BarSeries {
  readonly name: string;
  /** One value per category; null draws no bar and writes the label `missingLabel`. */
  readonly values: readonly (number | null)[];
  readonly missingLabel?: readonly (string | null)[];
}

export interface BarChartOptions {
  readonly title: string;
  readonly categories: readonly string[];
  readonly series: readonly BarSeries[];
  /** Axis label, e.g. "seconds (first run), log scale". */
  readonly unit: string;
  readonly log?: boolean;
  /** Formats a value for its bar label. */
  readonly format?: (v: number) => string;
}

const COLORS = ["#4C78A8", "#F58518", "#54A24B", "#E45756", "#72B7B2", "#B279A2", "#FF9DA6", "#9D755D"];

const esc = (s: string): string => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

export function barChartSvg(opts: BarChartOptions): string {
  const fmt = opts.format ?? ((v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toPrecision(2)));
  const barH = 12;
  const gap = 8;
  const left = 190;
  const plotW = 520;
  const right = 70;
  const top = 48;
  const legendH = 22;
  const groupH = opts.series.length * barH + gap;
  const height = top + opts.categories.length * groupH + 36 + legendH;
  const width = left + plotW + right;
  const values = opts.series.flatMap((s) => s.values.filter((v): v is number => v !== null && v > 0));
  const max = Math.max(...values, 1e-9);
  const min = Math.min(...values, max);
  const log = opts.log ?? false;
  const lo = log ? Math.floor(Math.log10(min)) : 0;
  const hi = log ? Math.ceil(Math.log10(max)) : max;
  const x = (v: number): number => {
    if (!log) return (v / (hi || 1)) * plotW;
    const span = Math.max(hi - lo, 1);
    return ((Math.log10(v) - lo) / span) * plotW;
  };
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`);
  out.push(`<rect width="100%" height="100%" fill="white"/>`);
  out.push(`<text x="${width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${esc(opts.title)}</text>`);
  // Grid lines: decades on a log axis, fifths on a linear one.
  const ticks: number[] = [];
  if (log) for (let e = lo; e <= Math.max(hi, lo + 1); e++) ticks.push(10 ** e);
  else {
    const raw = hi / 5;
    const mag = 10 ** Math.floor(Math.log10(raw));
    const step = ([1, 2, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
    for (let t = 0; t <= hi + 1e-12; t += step) ticks.push(t);
  }
  const plotBottom = top + opts.categories.length * groupH;
  for (const t of ticks) {
    const tx = left + x(t);
    out.push(`<line x1="${tx}" y1="${top - 6}" x2="${tx}" y2="${plotBottom}" stroke="#ddd"/>`);
    out.push(`<text x="${tx}" y="${plotBottom + 14}" text-anchor="middle" fill="#555">${esc(fmt(t))}</text>`);
  }
  out.push(`<text x="${left + plotW / 2}" y="${plotBottom + 30}" text-anchor="middle" fill="#333">${esc(opts.unit)}</text>`);
  opts.categories.forEach((cat, ci) => {
    const gy = top + ci * groupH;
    out.push(`<text x="${left - 8}" y="${gy + (opts.series.length * barH) / 2 + 4}" text-anchor="end">${esc(cat)}</text>`);
    opts.series.forEach((s, si) => {
      const v = s.values[ci] ?? null;
      const y = gy + si * barH;
      const color = COLORS[si % COLORS.length] as string;
      if (v === null || !(v > 0)) {
        const label = s.missingLabel?.[ci] ?? "n/a";
        out.push(`<text x="${left + 4}" y="${y + barH - 2}" fill="${color}" font-style="italic">${esc(label)}</text>`);
        return;
      }
      const w = Math.max(1, x(v));
      out.push(`<rect x="${left}" y="${y + 1}" width="${w.toFixed(1)}" height="${barH - 2}" fill="${color}"><title>${esc(`${s.name} ${cat}: ${fmt(v)}`)}</title></rect>`);
      out.push(`<text x="${left + w + 3}" y="${y + barH - 2}" fill="#333">${esc(fmt(v))}</text>`);
    });
  });
  let lx = left;
  const ly = height - 10;
  opts.series.forEach((s, si) => {
    out.push(`<rect x="${lx}" y="${ly - 9}" width="10" height="10" fill="${COLORS[si % COLORS.length] as string}"/>`);
    out.push(`<text x="${lx + 14}" y="${ly}">${esc(s.name)}</text>`);
    lx += 24 + s.name.length * 6.5;
  });
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}
