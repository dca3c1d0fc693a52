// Command-line flag parsing for the tessera commands: --name value pairs, switches and positionals, unknown flags refused.

export interface Parsed {
  /** The last value of each flag given with a value. */
  readonly flags: ReadonlyMap<string, string>;
  /** Every value of each flag, in order (for repeatable flags such as --storage-scope). */
  readonly lists: ReadonlyMap<string, readonly string[]>;
  /** Switches that were given (flags without a value, e.g. --insecure). */
  readonly switches: ReadonlySet<string>;
  readonly positionals: readonly string[];
}

/**
 * Splits `args` into known `--flag value` (or --flag=value) pairs, `switches` (no value) and positionals; throws on
 * an unknown flag, a missing value, or a value given to a switch.
 */
export function parseFlags(args: readonly string[], known: readonly string[], switchNames: readonly string[] = []): Parsed {
  const flags = new Map<string, string>();
  const lists = new Map<string, string[]>();
  const switches = new Set<string>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (!a.startsWith("--")) {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf("=");
    const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
    if (switchNames.includes(name)) {
      if (eq >= 0) throw new Error(`--${name} takes no value`);
      switches.add(name);
      continue;
    }
    if (!known.includes(name)) throw new Error(`unknown flag --${name} (known: ${[...known, ...switchNames].map((k) => `--${k}`).join(" ")})`);
    const value = eq >= 0 ? a.slice(eq + 1) : args[++i];
    if (value === undefined) throw new Error(`--${name} needs a value`);
    flags.set(name, value);
    lists.set(name, [...(lists.get(name) ?? []), value]);
  }
  return { flags, lists, switches, positionals };
}

/** A non-negative integer flag, or `fallback` when absent. */
export function intFlag(p: Parsed, name: string, fallback: number): number {
  const v = p.flags.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got "${v}"`);
  return n;
}
