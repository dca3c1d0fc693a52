// The RLE / bit-packing hybrid encoding (definition levels, dictionary indices, v2 booleans) decoded into Int32Arrays.

/** Reads an unsigned LEB128 varint at `pos`; returns the value and the position after it. */
function varint(buf: Uint8Array, pos: number): [number, number] {
  let v = 0, mul = 1, p = pos;
  for (;;) {
    if (p >= buf.length) throw new Error("RLE run header overruns its page");
    const b = buf[p++] as number;
    v += (b & 0x7f) * mul;
    if ((b & 0x80) === 0) return [v, p];
    mul *= 128;
    if (mul > 2 ** 35) throw new Error("RLE run header too long");
  }
}

/** Unpacks `n` values of `width` bits (LSB first) from buf[pos..] into out[at..]. */
function unpack(buf: Uint8Array, pos: number, width: number, n: number, out: Int32Array, at: number): void {
  let i = 0;
  if (width <= 25) {
    // Each value lies within the 4 bytes from its first byte: one unaligned little-endian read, shift, mask.
    const mask = width === 0 ? 0 : 2 ** width - 1;
    const safe = buf.length - 3;
    for (let bit = 0; i < n; i++, bit += width) {
      const p = pos + (bit >>> 3);
      if (p >= safe) break;
      const w = (buf[p] as number) | ((buf[p + 1] as number) << 8) | ((buf[p + 2] as number) << 16) | ((buf[p + 3] as number) << 24);
      out[at + i] = (w >>> (bit & 7)) & mask;
    }
  }
  // Wider values, and the last values of a buffer: read each from its starting byte with float arithmetic.
  for (; i < n; i++) {
    const bit = i * width, b0 = pos + (bit >>> 3), shift = bit & 7;
    let v = 0, mul = 1;
    for (let k = 0; k < 5; k++) { v += (buf[b0 + k] ?? 0) * mul; mul *= 256; }
    out[at + i] = (Math.floor(v / 2 ** shift) % 2 ** width) | 0;
  }
}

/**
 * Decodes `count` values of the hybrid encoding with `width` bits each from buf[start, end) into out[0..count).
 * Bit-packed runs come in groups of 8; values past `count` in the last group are dropped. Throws when the
 * runs end before `count` values.
 */
export function decodeRleHybrid(buf: Uint8Array, start: number, end: number, width: number, count: number, out: Int32Array): void {
  let pos = start, i = 0;
  const valueBytes = (width + 7) >> 3;
  while (i < count) {
    if (pos >= end) throw new Error(`RLE data ends after ${i} of ${count} values`);
    const [header, p] = varint(buf, pos);
    pos = p;
    if ((header & 1) === 0) {
      const run = Math.min(Math.floor(header / 2), count - i);
      let v = 0;
      for (let k = 0; k < valueBytes; k++) v += (buf[pos + k] as number) * 2 ** (8 * k);
      pos += valueBytes;
      out.fill(v | 0, i, i + run);
      i += run;
    } else {
      const groups = Math.floor(header / 2), bytes = groups * width;
      if (pos + bytes > end) throw new Error("bit-packed run overruns its page");
      const n = Math.min(groups * 8, count - i);
      unpack(buf, pos, width, n, out, i);
      pos += bytes;
      i += n;
    }
  }
}

/** The value of `width` bits at bit offset `bit` after buf[pos] (any width up to 32, near the buffer's end too). */
function readBits(buf: Uint8Array, pos: number, bit: number, width: number): number {
  const b0 = pos + (bit >>> 3), shift = bit & 7;
  let v = 0, mul = 1;
  for (let k = 0; k < 5; k++) { v += (buf[b0 + k] ?? 0) * mul; mul *= 256; }
  return Math.floor(v / 2 ** shift) % 2 ** width;
}

function lookupError(k: number, size: number): Error {
  return new Error(`dictionary index ${k} past the dictionary's ${size} entries`);
}

/**
 * Whole groups of 8 values of a bit-packed run (at most `n` values) whose bytes, and the bytes the word reads below
 * take past them, lie in the view: how many values the word-reading loops may decode (the rest go bit by bit).
 */
function safeValues(view: DataView, pos: number, width: number, n: number): number {
  const reach = Math.max(8, width + 3);  // bytes a group's reads touch from its first byte
  const groups = Math.floor((view.byteLength - reach - pos) / Math.max(1, width)) + 1;
  return Math.max(0, Math.min(n, 8 * groups)) & ~7;
}

/** The first of the `m` indices of a bit-packed run at `pos` that is past `size` (the run is known to hold one). */
function badIndex(buf: Uint8Array, pos: number, width: number, m: number, size: number): Error {
  for (let j = 0; j < m; j++) {
    const k = readBits(buf, pos, j * width, width);
    if (k >= size) return lookupError(k, size);
  }
  return new Error(`a dictionary index past the dictionary's ${size} entries`);
}

// The lookups below decode a bit-packed run 8 values (one group, `width` bytes) per iteration, written out so that
// each value is a shift and a mask of a word already read, with no branch: an index past the table is noted in
// `bad` (size - 1 - k turns negative) and refused once the run is decoded. Written value by value with a loop and a
// check each, the same work took 2.6 times as long. Each returns how many of the `n` values it decoded (whole groups
// whose reads stay inside the view); the caller decodes the rest bit by bit.

/**
 * Indices up to 8 bits wide: a group's first 4 values lie in the word at its first byte, its last 4 in the word
 * at byte width / 2 (from bit 4 of it when the width is odd).
 */
function lookupNarrow32(view: DataView, buf: Uint8Array, pos: number, w: number, mask: number, n: number, table: Int32Array, size: number, out: Int32Array, o: number): number {
  const m = safeValues(view, pos, w, n);
  const half = w >>> 1, s = (w & 1) << 2, w2 = 2 * w, w3 = 3 * w, s1 = s + w, s2 = s + w2, s3 = s + w3, top = size - 1;
  let bad = 0;
  for (let j = 0, p = pos; j < m; j += 8, p += w) {
    const lo = view.getUint32(p, true), hi = view.getUint32(p + half, true);
    const k0 = lo & mask, k1 = (lo >>> w) & mask, k2 = (lo >>> w2) & mask, k3 = (lo >>> w3) & mask;
    const k4 = (hi >>> s) & mask, k5 = (hi >>> s1) & mask, k6 = (hi >>> s2) & mask, k7 = (hi >>> s3) & mask;
    bad |= (top - k0) | (top - k1) | (top - k2) | (top - k3) | (top - k4) | (top - k5) | (top - k6) | (top - k7);
    const q = o + j;
    out[q] = table[k0] as number; out[q + 1] = table[k1] as number; out[q + 2] = table[k2] as number; out[q + 3] = table[k3] as number;
    out[q + 4] = table[k4] as number; out[q + 5] = table[k5] as number; out[q + 6] = table[k6] as number; out[q + 7] = table[k7] as number;
  }
  if (bad < 0) throw badIndex(buf, pos, w, m, size);
  return m;
}

/** Indices 9 to 25 bits wide: each value one unaligned 32-bit read from its first byte, shifted and masked. */
function lookupWide32(view: DataView, buf: Uint8Array, pos: number, w: number, mask: number, n: number, table: Int32Array, size: number, out: Int32Array, o: number): number {
  const m = safeValues(view, pos, w, n);
  const top = size - 1;
  let bad = 0;
  for (let j = 0, b0 = 0; j < m; j += 8, b0 += 8 * w) {
    const b1 = b0 + w, b2 = b1 + w, b3 = b2 + w, b4 = b3 + w, b5 = b4 + w, b6 = b5 + w, b7 = b6 + w;
    const k0 = (view.getUint32(pos + (b0 >>> 3), true) >>> (b0 & 7)) & mask, k1 = (view.getUint32(pos + (b1 >>> 3), true) >>> (b1 & 7)) & mask;
    const k2 = (view.getUint32(pos + (b2 >>> 3), true) >>> (b2 & 7)) & mask, k3 = (view.getUint32(pos + (b3 >>> 3), true) >>> (b3 & 7)) & mask;
    const k4 = (view.getUint32(pos + (b4 >>> 3), true) >>> (b4 & 7)) & mask, k5 = (view.getUint32(pos + (b5 >>> 3), true) >>> (b5 & 7)) & mask;
    const k6 = (view.getUint32(pos + (b6 >>> 3), true) >>> (b6 & 7)) & mask, k7 = (view.getUint32(pos + (b7 >>> 3), true) >>> (b7 & 7)) & mask;
    bad |= (top - k0) | (top - k1) | (top - k2) | (top - k3) | (top - k4) | (top - k5) | (top - k6) | (top - k7);
    const q = o + j;
    out[q] = table[k0] as number; out[q + 1] = table[k1] as number; out[q + 2] = table[k2] as number; out[q + 3] = table[k3] as number;
    out[q + 4] = table[k4] as number; out[q + 5] = table[k5] as number; out[q + 6] = table[k6] as number; out[q + 7] = table[k7] as number;
  }
  if (bad < 0) throw badIndex(buf, pos, w, m, size);
  return m;
}

/** lookupNarrow32 for Float64Array tables (a copy, so each loop sees one typed-array kind and stays monomorphic). */
function lookupNarrow64(view: DataView, buf: Uint8Array, pos: number, w: number, mask: number, n: number, table: Float64Array, size: number, out: Float64Array, o: number): number {
  const m = safeValues(view, pos, w, n);
  const half = w >>> 1, s = (w & 1) << 2, w2 = 2 * w, w3 = 3 * w, s1 = s + w, s2 = s + w2, s3 = s + w3, top = size - 1;
  let bad = 0;
  for (let j = 0, p = pos; j < m; j += 8, p += w) {
    const lo = view.getUint32(p, true), hi = view.getUint32(p + half, true);
    const k0 = lo & mask, k1 = (lo >>> w) & mask, k2 = (lo >>> w2) & mask, k3 = (lo >>> w3) & mask;
    const k4 = (hi >>> s) & mask, k5 = (hi >>> s1) & mask, k6 = (hi >>> s2) & mask, k7 = (hi >>> s3) & mask;
    bad |= (top - k0) | (top - k1) | (top - k2) | (top - k3) | (top - k4) | (top - k5) | (top - k6) | (top - k7);
    const q = o + j;
    out[q] = table[k0] as number; out[q + 1] = table[k1] as number; out[q + 2] = table[k2] as number; out[q + 3] = table[k3] as number;
    out[q + 4] = table[k4] as number; out[q + 5] = table[k5] as number; out[q + 6] = table[k6] as number; out[q + 7] = table[k7] as number;
  }
  if (bad < 0) throw badIndex(buf, pos, w, m, size);
  return m;
}

/** lookupWide32 for Float64Array tables (a copy, for the same reason). */
function lookupWide64(view: DataView, buf: Uint8Array, pos: number, w: number, mask: number, n: number, table: Float64Array, size: number, out: Float64Array, o: number): number {
  const m = safeValues(view, pos, w, n);
  const top = size - 1;
  let bad = 0;
  for (let j = 0, b0 = 0; j < m; j += 8, b0 += 8 * w) {
    const b1 = b0 + w, b2 = b1 + w, b3 = b2 + w, b4 = b3 + w, b5 = b4 + w, b6 = b5 + w, b7 = b6 + w;
    const k0 = (view.getUint32(pos + (b0 >>> 3), true) >>> (b0 & 7)) & mask, k1 = (view.getUint32(pos + (b1 >>> 3), true) >>> (b1 & 7)) & mask;
    const k2 = (view.getUint32(pos + (b2 >>> 3), true) >>> (b2 & 7)) & mask, k3 = (view.getUint32(pos + (b3 >>> 3), true) >>> (b3 & 7)) & mask;
    const k4 = (view.getUint32(pos + (b4 >>> 3), true) >>> (b4 & 7)) & mask, k5 = (view.getUint32(pos + (b5 >>> 3), true) >>> (b5 & 7)) & mask;
    const k6 = (view.getUint32(pos + (b6 >>> 3), true) >>> (b6 & 7)) & mask, k7 = (view.getUint32(pos + (b7 >>> 3), true) >>> (b7 & 7)) & mask;
    bad |= (top - k0) | (top - k1) | (top - k2) | (top - k3) | (top - k4) | (top - k5) | (top - k6) | (top - k7);
    const q = o + j;
    out[q] = table[k0] as number; out[q + 1] = table[k1] as number; out[q + 2] = table[k2] as number; out[q + 3] = table[k3] as number;
    out[q + 4] = table[k4] as number; out[q + 5] = table[k5] as number; out[q + 6] = table[k6] as number; out[q + 7] = table[k7] as number;
  }
  if (bad < 0) throw badIndex(buf, pos, w, m, size);
  return m;
}

/**
 * Dictionary indices in the hybrid encoding looked up as they are decoded: out[at + i] = table[index i] for
 * i < count. One pass, no index array in between; an RLE run becomes one fill. Throws on an index past `size`.
 * (Int32Array tables: 32-bit values and dictionary remaps; see decodeRleLookup64 for doubles.)
 */
export function decodeRleLookup32(buf: Uint8Array, start: number, end: number, width: number, count: number, table: Int32Array, size: number, out: Int32Array, at: number): void {
  let pos = start, i = 0;
  const valueBytes = (width + 7) >> 3, mask = width === 0 ? 0 : 2 ** width - 1;
  const view = width <= 25 ? new DataView(buf.buffer, buf.byteOffset, buf.length) : null;
  while (i < count) {
    if (pos >= end) throw new Error(`RLE data ends after ${i} of ${count} values`);
    const [header, p] = varint(buf, pos);
    pos = p;
    if ((header & 1) === 0) {
      const run = Math.min(Math.floor(header / 2), count - i);
      let k = 0;
      for (let b = 0; b < valueBytes; b++) k += (buf[pos + b] as number) * 2 ** (8 * b);
      pos += valueBytes;
      if (k >= size) throw lookupError(k, size);
      out.fill(table[k] as number, at + i, at + i + run);
      i += run;
      continue;
    }
    const groups = Math.floor(header / 2), bytes = groups * width;
    if (pos + bytes > end) throw new Error("bit-packed run overruns its page");
    const n = Math.min(groups * 8, count - i), o = at + i;
    let j = 0;
    if (view !== null) j = width <= 8 ? lookupNarrow32(view, buf, pos, width, mask, n, table, size, out, o) : lookupWide32(view, buf, pos, width, mask, n, table, size, out, o);
    for (let bit = j * width; j < n; j++, bit += width) {
      const k = readBits(buf, pos, bit, width);
      if (k >= size) throw lookupError(k, size);
      out[o + j] = table[k] as number;
    }
    pos += bytes;
    i += n;
  }
}

/** decodeRleLookup32 for Float64Array tables (double dictionaries). */
export function decodeRleLookup64(buf: Uint8Array, start: number, end: number, width: number, count: number, table: Float64Array, size: number, out: Float64Array, at: number): void {
  let pos = start, i = 0;
  const valueBytes = (width + 7) >> 3, mask = width === 0 ? 0 : 2 ** width - 1;
  const view = width <= 25 ? new DataView(buf.buffer, buf.byteOffset, buf.length) : null;
  while (i < count) {
    if (pos >= end) throw new Error(`RLE data ends after ${i} of ${count} values`);
    const [header, p] = varint(buf, pos);
    pos = p;
    if ((header & 1) === 0) {
      const run = Math.min(Math.floor(header / 2), count - i);
      let k = 0;
      for (let b = 0; b < valueBytes; b++) k += (buf[pos + b] as number) * 2 ** (8 * b);
      pos += valueBytes;
      if (k >= size) throw lookupError(k, size);
      out.fill(table[k] as number, at + i, at + i + run);
      i += run;
      continue;
    }
    const groups = Math.floor(header / 2), bytes = groups * width;
    if (pos + bytes > end) throw new Error("bit-packed run overruns its page");
    const n = Math.min(groups * 8, count - i), o = at + i;
    let j = 0;
    if (view !== null) j = width <= 8 ? lookupNarrow64(view, buf, pos, width, mask, n, table, size, out, o) : lookupWide64(view, buf, pos, width, mask, n, table, size, out, o);
    for (let bit = j * width; j < n; j++, bit += width) {
      const k = readBits(buf, pos, bit, width);
      if (k >= size) throw lookupError(k, size);
      out[o + j] = table[k] as number;
    }
    pos += bytes;
    i += n;
  }
}

/**
 * Definition levels of a flat optional column (bit width 1) as valid bytes: out[at + i] = 1 when row i has a
 * value. Returns how many of the `count` rows are null.
 */
export function decodeValidity(buf: Uint8Array, start: number, end: number, count: number, out: Uint8Array, at: number, scratch: Int32Array): number {
  let pos = start, i = 0, nulls = 0;
  while (i < count) {
    if (pos >= end) throw new Error(`definition levels end after ${i} of ${count} values`);
    const [header, p] = varint(buf, pos);
    pos = p;
    if ((header & 1) === 0) {
      const run = Math.min(Math.floor(header / 2), count - i);
      const v = (buf[pos++] as number) & 1;
      out.fill(v, at + i, at + i + run);
      if (v === 0) nulls += run;
      i += run;
    } else {
      const groups = Math.floor(header / 2);
      if (pos + groups > end) throw new Error("bit-packed definition levels overrun their page");
      const n = Math.min(groups * 8, count - i);
      unpack(buf, pos, 1, n, scratch, 0);
      for (let k = 0; k < n; k++) {
        const v = scratch[k] as number;
        out[at + i + k] = v;
        nulls += 1 - v;
      }
      pos += groups;
      i += n;
    }
  }
  return nulls;
}
