// Interning byte strings into one dictionary: an open-addressing hash table over the dictionary's own bytes.
import { appendBytes, hashBytes, viewOf, type StrColumn } from "@tessera/kernels";

/**
 * Assigns each distinct byte string a dense index in first-seen order, without making JS strings.
 * A slot holds [hash, index + 1] side by side, so a probe reads one cache line before it compares bytes: with
 * dictionaries of 10^5 entries the table outgrows the caches and memory latency, not hashing, sets the cost.
 */
export class BytesInterner {
  private offsets = new Int32Array(1025);
  private bytes = new Uint8Array(16 * 1024);
  private bytesView = viewOf(this.bytes);
  // The view of the last source interned from: consecutive calls usually intern from one page.
  private source: Uint8Array = this.bytes;
  private sourceView = this.bytesView;
  private slots = new Int32Array(2 * 2048);  // [hash, index + 1]; index + 1 === 0 marks a free slot
  private hashes = new Int32Array(0);  // internAll's scratch
  size = 0;

  /** The index of bytes b[s, e), adding them when new. */
  intern(b: Uint8Array, s: number, e: number): number {
    const h = hashBytes(b, s, e);
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    const len = e - s;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const k1 = slots[2 * i + 1] as number;
      if (k1 === 0) {
        const idx = this.add(b, s, e);
        slots[2 * i] = h;
        slots[2 * i + 1] = idx + 1;
        if (this.size * 2 > mask + 1) this.rehash();
        return idx;
      }
      if (slots[2 * i] !== h) continue;
      const k = k1 - 1;
      const o = this.offsets[k] as number;
      if ((this.offsets[k + 1] as number) - o !== len) continue;
      const bytes = this.bytes;
      let j = 0;
      while (j < len && bytes[o + j] === b[s + j]) j++;
      if (j === len) return k;
    }
  }

  /**
   * out[j] = the index of b[starts[j], starts[j] + lens[j]) for j < count: the same as `intern` one by one. Looks up
   * in passes (hashes, then slots, then bytes) whose iterations are independent, so the processor overlaps their
   * cache misses instead of waiting on each; only strings not found in the table go through `intern`.
   */
  internAll(b: Uint8Array, starts: Int32Array, lens: Int32Array, count: number, out: Int32Array): void {
    if (this.hashes.length < count) this.hashes = new Int32Array(Math.max(count, 2 * this.hashes.length));
    const hashes = this.hashes, slots = this.slots, offsets = this.offsets, bytes = this.bytes;
    const mask = (slots.length >> 1) - 1;
    for (let j = 0; j < count; j++) {
      const s = starts[j] as number;
      hashes[j] = hashBytes(b, s, s + (lens[j] as number));
    }
    // Candidate: the entry in the hash's home slot when its hash agrees (most lookups end there at load <= 1/2).
    for (let j = 0; j < count; j++) {
      const h = hashes[j] as number, i = h & mask;
      out[j] = slots[2 * i] === h ? (slots[2 * i + 1] as number) - 1 : -1;
    }
    for (let j = 0; j < count; j++) {
      const k = out[j] as number;
      if (k < 0) continue;
      const o = offsets[k] as number, len = lens[j] as number, s = starts[j] as number;
      if ((offsets[k + 1] as number) - o !== len) { out[j] = -1; continue; }
      let q = 0;
      while (q < len && bytes[o + q] === b[s + q]) q++;
      if (q !== len) out[j] = -1;
    }
    for (let j = 0; j < count; j++) {
      if ((out[j] as number) >= 0) continue;
      const s = starts[j] as number;
      out[j] = this.intern(b, s, s + (lens[j] as number));
    }
  }

  private add(b: Uint8Array, s: number, e: number): number {
    const idx = this.size;
    if (idx + 1 >= this.offsets.length) {
      const o = new Int32Array(this.offsets.length * 2);
      o.set(this.offsets);
      this.offsets = o;
    }
    const start = this.offsets[idx] as number, need = start + (e - s);
    if (need > this.bytes.length) {
      const grown = new Uint8Array(Math.max(need, this.bytes.length * 2));
      grown.set(this.bytes.subarray(0, start));
      this.bytes = grown;
      this.bytesView = viewOf(grown);
    }
    if (b !== this.source) { this.source = b; this.sourceView = viewOf(b); }
    appendBytes(b, this.sourceView, s, this.bytes, this.bytesView, start, e - s);
    this.offsets[idx + 1] = need;
    this.size = idx + 1;
    return idx;
  }

  private rehash(): void {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2);
    const mask = (slots.length >> 1) - 1;
    for (let q = 0; q < old.length; q += 2) {
      const k1 = old[q + 1] as number;
      if (k1 === 0) continue;
      const h = old[q] as number;
      let i = h & mask;
      while (slots[2 * i + 1] !== 0) i = (i + 1) & mask;
      slots[2 * i] = h;
      slots[2 * i + 1] = k1;
    }
    this.slots = slots;
  }

  /** The dictionary as a StrColumn (exact-size copies). */
  finish(): StrColumn {
    const n = this.size;
    const end = this.offsets[n] as number;
    return { kind: "str", type: "utf8", length: n, offsets: this.offsets.slice(0, n + 1), bytes: this.bytes.slice(0, end), valid: null };
  }
}
