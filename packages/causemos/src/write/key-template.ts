// Object keys from templates such as `{feature}/regional/{level}/aggs/{timestamp}/default/default.csv`.

/** A value a key is made of: text as it is, integers as digits. */
export type KeyValue = string | number | bigint;

type Part = { readonly text: string } | { readonly name: string };

/** Neutralises the only segments that could climb out of the run's prefix; everything else is the original's key (Q18). */
function safeSegment(s: string): string {
  return s === "." ? "%2E" : s === ".." ? "%2E%2E" : s;
}

/** `key` with any "." or ".." segment neutralised (see KeyTemplate). */
export function safeKey(key: string): string {
  return key.split("/").map(safeSegment).join("/");
}

/**
 * A parsed key template: `{name}` placeholders filled from values at render time (a value is never parsed again,
 * so braces in data are plain text). Rendered keys keep the original's spelling (spaces, Unicode, a `/` inside a
 * value adds a level), except that a segment "." or ".." is written %2E / %2E%2E so no key leaves its prefix.
 */
export class KeyTemplate {
  private readonly parts: readonly Part[];
  readonly names: readonly string[];

  constructor(readonly pattern: string) {
    const parts: Part[] = [];
    const re = /\{([^{}]+)\}/g;
    let last = 0;
    for (let m = re.exec(pattern); m !== null; m = re.exec(pattern)) {
      if (m.index > last) parts.push({ text: pattern.slice(last, m.index) });
      parts.push({ name: m[1] as string });
      last = m.index + m[0].length;
    }
    if (last < pattern.length) parts.push({ text: pattern.slice(last) });
    this.parts = parts;
    this.names = parts.flatMap((p) => ("name" in p ? [p.name] : []));
  }

  /** The key for `values`; throws when a placeholder has no value. */
  render(values: Readonly<Record<string, KeyValue | null | undefined>>): string {
    let out = "";
    for (const p of this.parts) {
      if ("text" in p) { out += p.text; continue; }
      const v = values[p.name];
      if (v === undefined) throw new Error(`key template ${this.pattern}: no value for {${p.name}}`);
      out += v === null ? "None" : String(v);
    }
    return safeKey(out);
  }
}
