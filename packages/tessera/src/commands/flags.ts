// Command-line flag parsing for the tessera commands: --name value pairs and positionals, unknown flags refused.

export interface Parsed {
  readonly flags: ReadonlyMap<string, string>;
  readonly positionals: readonly string[];
}

/** Splits `args` into known `--flag value` (or --flag=value) pairs and positionals; throws on an unknown flag. */
export function parseFlags(args: readonly string[], known: readonly string[]): Parsed {
  const flags = new Map<string, string>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (!a.startsWith("--")) {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf("=");
    const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
    if (!known.includes(name)) throw new Error(`unknown flag --${name} (known: ${known.map((k) => `--${k}`).join(" ")})`);
    const value = eq >= 0 ? a.slice(eq + 1) : args[++i];
    if (value === undefined) throw new Error(`--${name} needs a value`);
    flags.set(name, value);
  }
  return { flags, positionals };
}

/** A non-negative integer flag, or `fallback` when absent. */
export function intFlag(p: Parsed, name: string, fallback: number): number {
  const v = p.flags.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got "${v}"`);
  return n;
}
