// Seeded mutations of CSV files for fuzzing: truncation, broken quoting, ragged rows, bad bytes, huge fields and lines.
import type { Mutation } from "./parquet-mutations.js";

type Rand = () => number;
const int = (rand: Rand, n: number): number => Math.floor(rand() * n);
const enc = new TextEncoder();

function splice(b: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length - remove + insert.length);
  out.set(b.subarray(0, at), 0);
  out.set(insert, at);
  out.set(b.subarray(at + remove), at + insert.length);
  return out;
}

const JUNK_NUMBERS = ["1e999", "--1", "0x10", "NaN", " 7 ", "9223372036854775808", "1.5.5", "+", "-", "٣", "1_000"];

/** The case'th mutation of `seed` (a valid CSV file with a header), chosen by the seeded `rand`. */
export function mutateCsv(seed: Uint8Array, rand: Rand): Mutation {
  const at = int(rand, seed.length);
  switch (int(rand, 14)) {
    case 0: return { what: `truncated to ${at} of ${seed.length} bytes`, bytes: seed.subarray(0, at) };
    case 1: {
      const b = new Uint8Array(seed);
      const n = 1 + int(rand, 8);
      for (let i = 0; i < n; i++) b[int(rand, b.length)] = int(rand, 256);
      return { what: `${n} random bytes`, bytes: b };
    }
    case 2: return { what: `an unbalanced quote at ${at}`, bytes: splice(seed, at, 0, enc.encode('"')) };
    case 3: return { what: `extra delimiters at ${at} (a ragged row)`, bytes: splice(seed, at, 0, enc.encode(",".repeat(1 + int(rand, 5)))) };
    case 4: return { what: `NUL bytes at ${at}`, bytes: splice(seed, at, 0, new Uint8Array(1 + int(rand, 16))) };
    case 5: return { what: `invalid UTF-8 at ${at}`, bytes: splice(seed, at, 0, Uint8Array.of(0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80)) };
    case 6: return { what: "line ends as bare CR", bytes: Uint8Array.from(seed, (c) => (c === 0x0a ? 0x0d : c)) };
    case 7: {
      const n = 1 + int(rand, 4 << 20);
      return { what: `a ${n}-byte field without a newline at ${at}`, bytes: splice(seed, at, 0, new Uint8Array(n).fill(0x78)) };
    }
    case 8: {
      const header = seed.subarray(0, seed.indexOf(0x0a) + 1);
      return { what: `the header repeated at ${at}`, bytes: splice(seed, at, 0, header) };
    }
    case 9: {
      const b = new Uint8Array(seed);
      b[int(rand, seed.indexOf(0x0a))] = 0x5a;
      return { what: "a header name changed", bytes: b };
    }
    case 10: {
      const junk = JUNK_NUMBERS[int(rand, JUNK_NUMBERS.length)] as string;
      return { what: `"${junk}" in place of a number`, bytes: splice(seed, seed.indexOf(0x0a) + 1, 1, enc.encode(junk)) };
    }
    case 11: return { what: `a byte-order mark at ${at}`, bytes: splice(seed, at, 0, Uint8Array.of(0xef, 0xbb, 0xbf)) };
    case 12: return { what: int(rand, 2) === 0 ? "empty file" : "header only", bytes: int(rand, 2) === 0 ? new Uint8Array(0) : seed.subarray(0, seed.indexOf(0x0a) + 1) };
    default: return { what: `a line of ${1000} delimiters at ${at}`, bytes: splice(seed, at, 0, enc.encode(`${",".repeat(1000)}\n`)) };
  }
}
