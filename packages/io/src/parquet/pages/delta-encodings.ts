// Parquet v2 encodings rewritten as PLAIN bytes: DELTA_BINARY_PACKED (INT32), DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY, BYTE_STREAM_SPLIT.
// The value targets then read them like any PLAIN page; one extra copy keeps every target to one PLAIN reader.

function uleb(buf: Uint8Array, pos: number): [number, number] {
  let v = 0, mul = 1, p = pos;
  for (;;) {
    if (p >= buf.length) throw new Error("delta header overruns its page");
    const b = buf[p++] as number;
    v += (b & 0x7f) * mul;
    if ((b & 0x80) === 0) return [v, p];
    mul *= 128;
    if (mul > 2 ** 63) throw new Error("delta header varint too long");
  }
}

const zigzag = (n: number): number => (n % 2 === 0 ? n / 2 : -(n + 1) / 2);

/** `count` INT32 values of DELTA_BINARY_PACKED at buf[pos..]; returns them and the position after them. */
export function deltaInt32(buf: Uint8Array, pos: number, count: number): { values: Int32Array; end: number } {
  let p = pos, blockSize: number, miniblocks: number, total: number, first: number;
  [blockSize, p] = uleb(buf, p);
  [miniblocks, p] = uleb(buf, p);
  [total, p] = uleb(buf, p);
  [first, p] = uleb(buf, p);
  if (miniblocks === 0 || blockSize % miniblocks !== 0 || (blockSize / miniblocks) % 8 !== 0) throw new Error("bad DELTA_BINARY_PACKED block layout");
  if (total < count) throw new Error(`DELTA_BINARY_PACKED holds ${total} values, the page needs ${count}`);
  const perMini = blockSize / miniblocks;
  const values = new Int32Array(count);
  let prev = zigzag(first) | 0, i = 0;
  if (count > 0) values[i++] = prev;
  while (i < count) {
    let minDelta: number;
    [minDelta, p] = uleb(buf, p);
    minDelta = zigzag(minDelta) | 0;
    const widths = buf.subarray(p, p + miniblocks);
    p += miniblocks;
    for (let m = 0; m < miniblocks && i < count; m++) {
      const w = widths[m] as number;
      if (w > 32) throw new Error(`DELTA_BINARY_PACKED bit width ${w} in an INT32 column`);
      for (let j = 0; j < perMini && i < count; j++, i++) {
        // Deltas wrap around 32 bits, as the writer computed them.
        const bit = j * w;
        let d = 0;
        for (let k = 0, got = 0; got < w; k++) {
          const byte = buf[p + ((bit + got) >>> 3)] ?? 0;
          const shift = (bit + got) & 7, take = Math.min(8 - shift, w - got);
          d += ((byte >>> shift) & ((1 << take) - 1)) * 2 ** got;
          got += take;
        }
        prev = (prev + minDelta + d) | 0;
        values[i] = prev;
      }
      p += (perMini * w) >>> 3;
    }
  }
  return { values, end: p };
}

/** PLAIN BYTE_ARRAY bytes (4-byte length, then the bytes) for the given values. */
function plainByteArrays(n: number, len: (j: number) => number, copy: (j: number, out: Uint8Array, at: number) => void): Uint8Array {
  let total = 0;
  for (let j = 0; j < n; j++) total += 4 + len(j);
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  let p = 0;
  for (let j = 0; j < n; j++) {
    const l = len(j);
    dv.setUint32(p, l, true);
    copy(j, out, p + 4);
    p += 4 + l;
  }
  return out;
}

/** DELTA_LENGTH_BYTE_ARRAY: the lengths (DELTA_BINARY_PACKED), then every value's bytes back to back. */
export function deltaLengthByteArrays(buf: Uint8Array, pos: number, count: number): Uint8Array {
  const { values: lens, end } = deltaInt32(buf, pos, count);
  const starts = new Int32Array(count);
  let p = end;
  for (let j = 0; j < count; j++) {
    starts[j] = p;
    p += lens[j] as number;
  }
  if (p > buf.length) throw new Error("DELTA_LENGTH_BYTE_ARRAY values overrun their page");
  return plainByteArrays(count, (j) => lens[j] as number, (j, out, at) => out.set(buf.subarray(starts[j] as number, (starts[j] as number) + (lens[j] as number)), at));
}

/** DELTA_BYTE_ARRAY: prefix lengths shared with the previous value, then the suffixes (DELTA_LENGTH_BYTE_ARRAY). */
export function deltaByteArrays(buf: Uint8Array, pos: number, count: number): Uint8Array {
  const { values: prefix, end } = deltaInt32(buf, pos, count);
  const { values: suffixLens, end: sufStart } = deltaInt32(buf, end, count);
  const starts = new Int32Array(count), lens = new Int32Array(count);
  let total = 0;
  for (let j = 0; j < count; j++) {
    const pre = prefix[j] as number;
    if (pre < 0 || (j === 0 ? pre > 0 : pre > (lens[j - 1] as number))) throw new Error("DELTA_BYTE_ARRAY prefix longer than the previous value");
    lens[j] = pre + (suffixLens[j] as number);
    starts[j] = total;
    total += lens[j] as number;
  }
  const bytes = new Uint8Array(total);
  let s = sufStart;
  for (let j = 0; j < count; j++) {
    const pre = prefix[j] as number, suf = suffixLens[j] as number, at = starts[j] as number;
    if (pre > 0) bytes.copyWithin(at, starts[j - 1] as number, (starts[j - 1] as number) + pre);
    if (s + suf > buf.length) throw new Error("DELTA_BYTE_ARRAY suffixes overrun their page");
    bytes.set(buf.subarray(s, s + suf), at + pre);
    s += suf;
  }
  return plainByteArrays(count, (j) => lens[j] as number, (j, out, at) => out.set(bytes.subarray(starts[j] as number, (starts[j] as number) + (lens[j] as number)), at));
}

/** BYTE_STREAM_SPLIT: byte k of value i is at pos + k * count + i; returns the values' PLAIN bytes. */
export function byteStreamSplit(buf: Uint8Array, pos: number, count: number, width: number): Uint8Array {
  if (pos + count * width > buf.length) throw new Error("BYTE_STREAM_SPLIT values overrun their page");
  const out = new Uint8Array(count * width);
  for (let k = 0; k < width; k++) {
    const src = pos + k * count;
    for (let i = 0; i < count; i++) out[i * width + k] = buf[src + i] as number;
  }
  return out;
}
