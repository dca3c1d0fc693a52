// The current column chunk's dictionary page, kept in buffers that every target of this thread reuses, read after read.

const bad = (why: string): Error => new Error(why);

/**
 * A column chunk's pages are decoded whole, one after another (decoding is synchronous), and its data pages look
 * values up in the dictionary page of their own chunk. So one set of buffers per thread can hold the dictionary page
 * for every column of every read, and a read allocates none (dictionaries of 10^5 values cost a megabyte each, for
 * every column of every task). `claim` hands the buffers to a target with a stamp; a target holding an older stamp
 * lost the buffers to another chunk, which for a well-formed file cannot happen: `check` then refuses the page.
 */
class DictionaryScratch {
  private byteStore = new Uint8Array(1 << 16);
  private intStore = new Int32Array(1 << 12);
  private stamp = 0;

  /** Buffers of at least `bytes` bytes and `ints` 32-bit integers, for a new dictionary page; returns its stamp. */
  claim(bytes: number, ints: number): number {
    if (this.byteStore.length < bytes) this.byteStore = new Uint8Array(Math.max(bytes, 2 * this.byteStore.length));
    if (this.intStore.length < ints) this.intStore = new Int32Array(Math.max(ints, 2 * this.intStore.length));
    return ++this.stamp;
  }

  /** The byte buffer (8-byte aligned at 0) while `stamp` is current. */
  bytes(stamp: number): Uint8Array {
    this.check(stamp);
    return this.byteStore;
  }

  /** The integer buffer while `stamp` is current. */
  ints(stamp: number): Int32Array {
    this.check(stamp);
    return this.intStore;
  }

  /** Throws unless `stamp` is the last claim's: a dictionary-encoded page without its chunk's dictionary page. */
  check(stamp: number): void {
    if (stamp !== this.stamp || stamp === 0) throw bad("a dictionary-encoded page without its column chunk's dictionary page");
  }
}

/** This thread's scratch. */
export const dictionaryScratch = new DictionaryScratch();
