// Undoing TIFF predictors after decompression, in tight loops over whole rows (geotiff.js's own version allocates
// per row and dominated read time): 2 is horizontal differencing, 3 the floating-point byte-shuffled one.
import { IoError } from "@tessera/common";

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Undoes `predictor` in place (2) or into another buffer (3: `scratch` when it is large enough, so a reader decoding
 * many blocks allocates one) for rows of `samplesPerRow` samples of `bytesPerSample` bytes, `stride` samples apart
 * (samples per pixel when pixel-interleaved, else 1). A short last row (a truncated strip) is left as decoded. Returns
 * the buffer holding the result in its first `buf.byteLength` bytes.
 */
export function undoPredictor(
  buf: ArrayBuffer, predictor: number, samplesPerRow: number, stride: number, bytesPerSample: number, url: string, scratch?: ArrayBuffer,
): ArrayBuffer {
  if (predictor === 1) return buf;
  const rowBytes = samplesPerRow * bytesPerSample;
  const rows = Math.floor(buf.byteLength / rowBytes);
  if (predictor === 2) {
    const view = bytesPerSample === 1 ? new Uint8Array(buf, 0, rows * samplesPerRow)
      : bytesPerSample === 2 ? new Uint16Array(buf, 0, rows * samplesPerRow)
        : bytesPerSample === 4 ? new Uint32Array(buf, 0, rows * samplesPerRow) : null;
    if (view === null) throw new IoError("IO_UNSUPPORTED_TYPE", `cannot read ${url}: predictor 2 on ${bytesPerSample * 8}-bit samples`, { url });
    for (let r = 0; r < rows; r++) {
      const base = r * samplesPerRow;
      for (let i = base + stride; i < base + samplesPerRow; i++) view[i] = (view[i] as number) + (view[i - stride] as number);
    }
    return buf;
  }
  if (predictor === 3) {
    const src = new Uint8Array(buf);
    const out = scratch !== undefined && scratch.byteLength >= buf.byteLength ? new Uint8Array(scratch, 0, buf.byteLength) : new Uint8Array(buf.byteLength);
    const bps = bytesPerSample;
    // 4-byte samples (float32) are reassembled a word at a time (rows start at multiples of 4 bytes).
    const words = bps === 4 && LITTLE_ENDIAN ? new Uint32Array(out.buffer, 0, Math.floor(out.byteLength / 4)) : null;
    for (let r = 0; r < rows; r++) {
      const base = r * rowBytes;
      if (stride === 1) {
        let prev = src[base] as number;
        for (let k = base + 1; k < base + rowBytes; k++) { prev = (prev + (src[k] as number)) & 255; src[k] = prev; }
      } else {
        for (let k = base + stride; k < base + rowBytes; k++) src[k] = ((src[k] as number) + (src[k - stride] as number)) & 255;
      }
      // Byte plane s holds the s-th most significant byte of every sample; write samples back little-endian.
      if (words !== null) {
        const p0 = base;
        const p1 = base + samplesPerRow;
        const p2 = p1 + samplesPerRow;
        const p3 = p2 + samplesPerRow;
        const w0 = base >> 2;
        for (let i = 0; i < samplesPerRow; i++) {
          words[w0 + i] = (((src[p0 + i] as number) << 24) | ((src[p1 + i] as number) << 16) | ((src[p2 + i] as number) << 8) | (src[p3 + i] as number)) >>> 0;
        }
        continue;
      }
      for (let s = 0; s < bps; s++) {
        const plane = base + s * samplesPerRow;
        const to = base + (bps - 1 - s);
        for (let i = 0; i < samplesPerRow; i++) out[to + i * bps] = src[plane + i] as number;
      }
    }
    if (rows * rowBytes < buf.byteLength) out.set(src.subarray(rows * rowBytes), rows * rowBytes);
    return out.buffer;
  }
  throw new IoError("IO_UNSUPPORTED_CODEC", `cannot read ${url}: unknown TIFF predictor ${predictor}`, { url });
}
