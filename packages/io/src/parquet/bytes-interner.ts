// Interning byte strings into one dictionary: an open-addressing hash table over the dictionary's own bytes.
import { bytesEqual, hashBytes, type StrColumn } from "@tessera/kernels";

/** Assigns each distinct byte string a dense index in first-seen order, without making JS strings. */
export class BytesInterner {
  private offsets = new Int32Array(1025);
  private bytes = new Uint8Array(16 * 1024);
  private hashes = new Int32Array(1025);  // same length as offsets: both grow together
  private slots = new Int32Array(2048).fill(-1);
  size = 0;

  /** The index of bytes b[s, e), adding them when new. */
  intern(b: Uint8Array, s: number, e: number): number {
    const h = hashBytes(b, s, e);
    const mask = this.slots.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const k = this.slots[i] as number;
      if (k < 0) {
        const idx = this.add(b, s, e, h);
        this.slots[i] = idx;
        if (this.size * 2 > this.slots.length) this.rehash();
        return idx;
      }
      if (this.hashes[k] === h && bytesEqual(this.bytes, this.offsets[k] as number, this.offsets[k + 1] as number, b, s, e)) return k;
    }
  }

  private add(b: Uint8Array, s: number, e: number, h: number): number {
    const idx = this.size;
    if (idx + 1 >= this.offsets.length) {
      const o = new Int32Array(this.offsets.length * 2);
      o.set(this.offsets);
      this.offsets = o;
      const hs = new Int32Array(o.length);
      hs.set(this.hashes);
      this.hashes = hs;
    }
    const start = this.offsets[idx] as number, need = start + (e - s);
    if (need > this.bytes.length) {
      const grown = new Uint8Array(Math.max(need, this.bytes.length * 2));
      grown.set(this.bytes.subarray(0, start));
      this.bytes = grown;
    }
    this.bytes.set(b.subarray(s, e), start);
    this.offsets[idx + 1] = need;
    this.hashes[idx] = h;
    this.size = idx + 1;
    return idx;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let k = 0; k < this.size; k++) {
      let i = (this.hashes[k] as number) & mask;
      while (slots[i] !== -1) i = (i + 1) & mask;
      slots[i] = k;
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
