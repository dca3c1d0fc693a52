// Seeded mutations of Parquet files for fuzzing: truncation, lying lengths, corrupt footers and pages, deep nesting.

/** One fuzz case: what was done (for failure messages), the resulting bytes, and which seed they came from. */
export interface Mutation {
  readonly what: string;
  readonly bytes: Uint8Array;
  readonly seed?: number;
}

type Rand = () => number;

const int = (rand: Rand, n: number): number => Math.floor(rand() * n);
const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[int(rand, xs.length)] as T;

function footerLength(b: Uint8Array): number {
  return new DataView(b.buffer, b.byteOffset + b.length - 8, 4).getUint32(0, true);
}

/** A file with `footer` as its Thrift footer after `data` (the leading "PAR1" and the data pages). */
function withFooter(data: Uint8Array, footer: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length + footer.length + 8);
  out.set(data, 0);
  out.set(footer, data.length);
  new DataView(out.buffer).setUint32(data.length + footer.length, footer.length, true);
  out.set([0x50, 0x41, 0x52, 0x31], out.length - 4);
  return out;
}

/** Thrift compact bytes nesting `depth` structs (field 1 of each is the next), or lists of lists. */
function nested(depth: number, kind: "struct" | "list"): Uint8Array {
  const out: number[] = [];
  if (kind === "struct") {
    for (let i = 0; i < depth; i++) out.push(0x1c);   // field delta 1, type struct
    for (let i = 0; i <= depth; i++) out.push(0x00);  // stops
  } else {
    out.push(0x19);                                   // field 1: a list
    for (let i = 0; i < depth; i++) out.push(0x19);   // one element, itself a list
    out.push(0x00);
  }
  return Uint8Array.from(out);
}

/** Thrift compact: field 2 (the schema) as a list of `size` structs, with no elements following. */
function hugeList(size: number): Uint8Array {
  const out = [0x15, 0x02, 0x19, 0xfc];  // version 1, then field 2 (delta 1): list, header "15 or more structs"
  for (let v = size; ; v = Math.floor(v / 128)) {
    if (v < 128) { out.push(v); break; }
    out.push((v % 128) | 0x80);
  }
  return Uint8Array.from(out);
}

/** field 6 (created_by) as a binary of `len` bytes, with only a few present. */
function hugeBinary(len: number): Uint8Array {
  const out = [0x15, 0x02, 0x58];
  for (let v = len; ; v = Math.floor(v / 128)) {
    if (v < 128) { out.push(v); break; }
    out.push((v % 128) | 0x80);
  }
  out.push(0x41, 0x42, 0x43);
  return Uint8Array.from(out);
}

/** field 2 as a map of booleans claiming `size` entries: each entry could take no bytes if booleans were read as in structs. */
function hugeBoolMap(size: number): Uint8Array {
  const out = [0x15, 0x02, 0x1b];
  for (let v = size; ; v = Math.floor(v / 128)) {
    if (v < 128) { out.push(v); break; }
    out.push((v % 128) | 0x80);
  }
  out.push(0x11, 0x01, 0x02, 0x00);
  return Uint8Array.from(out);
}

const HOSTILE_LENGTHS = [0, 1, 7, 8, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffff0];

/**
 * The case'th mutation of one of `seeds` (valid Parquet files), chosen by the seeded `rand`. Every kind comes up
 * often; the same (seeds, rand) always gives the same cases.
 */
export function mutate(seeds: readonly Uint8Array[], rand: Rand): Mutation {
  const index = int(rand, seeds.length);
  return { ...mutateOne(seeds, seeds[index] as Uint8Array, rand), seed: index };
}

function mutateOne(seeds: readonly Uint8Array[], seed: Uint8Array, rand: Rand): Mutation {
  const size = seed.length;
  const flen = footerLength(seed);
  const fstart = size - 8 - flen;
  const b = new Uint8Array(seed);
  const kind = int(rand, 17);
  switch (kind) {
    case 0: {
      const cut = int(rand, size);
      return { what: `truncated to ${cut} of ${size} bytes`, bytes: b.subarray(0, cut) };
    }
    case 1: {
      const len = rand() < 0.6 ? pick(rand, [...HOSTILE_LENGTHS, flen - 1, flen + 1, size, size - 8, size - 7]) : int(rand, 2 ** 32);
      new DataView(b.buffer).setUint32(size - 8, len >>> 0, true);
      return { what: `footer length set to ${len >>> 0}`, bytes: b };
    }
    case 2: {
      b[size - 1 - int(rand, 4)] = int(rand, 256);
      b[int(rand, 4)] = int(rand, 256);
      return { what: "magic bytes altered", bytes: b };
    }
    case 3: {
      const n = 1 + int(rand, 8);
      for (let i = 0; i < n; i++) b[fstart + int(rand, flen)] = int(rand, 256);
      return { what: `${n} random footer bytes`, bytes: b };
    }
    case 4: {
      const at = fstart + int(rand, flen);
      const n = 1 + int(rand, 12);
      for (let i = 0; i < n && at + i < size - 8; i++) b[at + i] = 0xff;
      return { what: `0xff run of ${n} at footer byte ${at - fstart} (huge varints and lengths)`, bytes: b };
    }
    case 5: {
      const n = 1 + int(rand, 4);
      for (let i = 0; i < n; i++) {
        const at = fstart + int(rand, flen);
        b[at] = ((b[at] as number) & 0xf0) | int(rand, 16);
      }
      return { what: `${n} footer type nibbles changed (wrong types)`, bytes: b };
    }
    case 6: {
      const keep = int(rand, flen);
      return { what: `footer cut to ${keep} of ${flen} bytes`, bytes: withFooter(b.subarray(0, fstart), b.subarray(fstart, fstart + keep)) };
    }
    case 7: {
      const depth = pick(rand, [65, 200, 5000, 200_000]);
      const k = rand() < 0.5 ? "struct" : "list";
      return { what: `footer of ${depth} nested ${k}s`, bytes: withFooter(b.subarray(0, fstart), nested(depth, k)) };
    }
    case 8: {
      const n = pick(rand, [2 ** 31, 2 ** 40, 2 ** 53, 1e6]);
      return { what: `schema list claiming ${n} elements`, bytes: withFooter(b.subarray(0, fstart), hugeList(n)) };
    }
    case 9: {
      const n = pick(rand, [2 ** 31, 2 ** 50, 1e9]);
      return { what: `created_by claiming ${n} bytes`, bytes: withFooter(b.subarray(0, fstart), hugeBinary(n)) };
    }
    case 10: {
      const n = 1 + int(rand, 16);
      for (let i = 0; i < n; i++) b[4 + int(rand, fstart - 4)] = int(rand, 256);
      return { what: `${n} random bytes in the data pages`, bytes: b };
    }
    case 11: {
      const at = 4 + int(rand, fstart - 4);
      const n = 1 + int(rand, 24);
      for (let i = 0; i < n && at + i < fstart; i++) b[at + i] = 0xff;
      return { what: `0xff run of ${n} at data byte ${at} (page headers with huge sizes)`, bytes: b };
    }
    case 12: {
      const at = 4 + int(rand, fstart - 4);
      const n = 1 + int(rand, 64);
      b.fill(0, at, Math.min(fstart, at + n));
      return { what: `${n} zero bytes at data byte ${at}`, bytes: b };
    }
    case 13: {
      const other = pick(rand, seeds);
      const ofl = footerLength(other);
      return { what: "another file's footer over these pages", bytes: withFooter(b.subarray(0, fstart), other.subarray(other.length - 8 - ofl, other.length - 8)) };
    }
    case 14: {
      // A byte inside the footer shifted out: every later field misparses.
      const at = fstart + int(rand, flen);
      return { what: `footer byte ${at - fstart} deleted`, bytes: withFooter(b.subarray(0, fstart), Uint8Array.from([...b.subarray(fstart, at), ...b.subarray(at + 1, size - 8)])) };
    }
    case 15: {
      const n = pick(rand, [2 ** 20, 2 ** 31, 2 ** 40]);
      return { what: `a map of booleans claiming ${n} entries`, bytes: withFooter(b.subarray(0, fstart), hugeBoolMap(n)) };
    }
    default: {
      const at = 4 + int(rand, size - 12);
      const n = 1 + int(rand, 256);
      const junk = Uint8Array.from({ length: n }, () => int(rand, 256));
      b.set(junk.subarray(0, Math.min(n, size - 8 - at)), at);
      return { what: `${n} random bytes at ${at}`, bytes: b };
    }
  }
}
