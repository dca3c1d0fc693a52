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

/**
 * Dictionary lookups of indices up to 8 bits wide: each group of 8 (`width` bytes) read as two little-endian 32-bit
 * words. Returns how many of the `n` values it decoded (whole groups inside the view).
 */
function lookupNarrow32(view: DataView, pos: number, width: number, mask: number, n: number, table: Int32Array, size: number, out: Int32Array, o: number): number {
  const m = safeValues(view, pos, width, n);
  for (let j = 0, p = pos; j < m; j += 8, p += width) {
    const lo = view.getUint32(p, true), hi = view.getUint32(p + 4, true);
    for (let t = 0, bit = 0; t < 8; t++, bit += width) {
      const k = bit + width <= 32 ? (lo >>> bit) & mask : bit >= 32 ? (hi >>> (bit - 32)) & mask : ((lo >>> bit) | (hi << (32 - bit))) & mask;
      if (k >= size) throw lookupError(k, size);
      out[o + j + t] = table[k] as number;
    }
  }
  return m;
}

/** Dictionary lookups of indices 9 to 25 bits wide: one unaligned 32-bit read per value. Returns the values decoded. */
function lookupWide32(view: DataView, pos: number, width: number, mask: number, n: number, table: Int32Array, size: number, out: Int32Array, o: number): number {
  const m = safeValues(view, pos, width, n);
  for (let j = 0, bit = 0; j < m; j++, bit += width) {
    const k = (view.getUint32(pos + (bit >>> 3), true) >>> (bit & 7)) & mask;
    if (k >= size) throw lookupError(k, size);
    out[o + j] = table[k] as number;
  }
  return m;
}

/** lookupNarrow32 for Float64Array tables (a copy, so each loop sees one typed-array kind and stays monomorphic). */
function lookupNarrow64(view: DataView, pos: number, width: number, mask: number, n: number, table: Float64Array, size: number, out: Float64Array, o: number): number {
  const m = safeValues(view, pos, width, n);
  for (let j = 0, p = pos; j < m; j += 8, p += width) {
    const lo = view.getUint32(p, true), hi = view.getUint32(p + 4, true);
    for (let t = 0, bit = 0; t < 8; t++, bit += width) {
      const k = bit + width <= 32 ? (lo >>> bit) & mask : bit >= 32 ? (hi >>> (bit - 32)) & mask : ((lo >>> bit) | (hi << (32 - bit))) & mask;
      if (k >= size) throw lookupError(k, size);
      out[o + j + t] = table[k] as number;
    }
  }
  return m;
}

/** lookupWide32 for Float64Array tables (a copy, for the same reason). */
function lookupWide64(view: DataView, pos: number, width: number, mask: number, n: number, table: Float64Array, size: number, out: Float64Array, o: number): number {
  const m = safeValues(view, pos, width, n);
  for (let j = 0, bit = 0; j < m; j++, bit += width) {
    const k = (view.getUint32(pos + (bit >>> 3), true) >>> (bit & 7)) & mask;
    if (k >= size) throw lookupError(k, size);
    out[o + j] = table[k] as number;
  }
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
    if (view !== null) j = width <= 8 ? lookupNarrow32(view, pos, width, mask, n, table, size, out, o) : lookupWide32(view, pos, width, mask, n, table, size, out, o);
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
    if (view !== null) j = width <= 8 ? lookupNarrow64(view, pos, width, mask, n, table, size, out, o) : lookupWide64(view, pos, width, mask, n, table, size, out, o);
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
