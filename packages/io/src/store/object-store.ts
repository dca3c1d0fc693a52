// The one storage interface every reader and sink uses: list, head, ranged get, put, delete.

/** One stored object. `url` is canonical (see normalizeUrl); `size` in bytes. */
export interface ObjectInfo {
  readonly url: string;
  readonly size: number;
  /** Last modification time in ms since the epoch, when the store knows it. */
  readonly mtimeMs?: number;
}

/** A byte range of an object: `length` bytes starting at `offset`. */
export interface ByteRange {
  readonly offset: number;
  readonly length: number;
}

/**
 * A flat namespace of objects addressed by URL, the shape of S3: no directories, only key prefixes.
 * Every method throws IoError naming the URL: IO_NOT_FOUND when the object does not exist,
 * IO_BAD_RANGE when a range does not lie within the object, IO_READ / IO_WRITE for other failures.
 */
export interface ObjectStore {
  /** Every object whose URL starts with `prefix` (recursively), sorted by URL; [] when none. */
  list(prefix: string): Promise<ObjectInfo[]>;
  head(url: string): Promise<ObjectInfo>;
  /**
   * The whole object, or exactly `range.length` bytes of it. With `into` (at least `range.length` bytes), a store that
   * can read in place returns a view of `into` holding the range, sparing a fresh buffer; others return their own.
   */
  get(url: string, range?: ByteRange, into?: Uint8Array): Promise<Uint8Array>;
  /** Creates or replaces the object; a reader never sees a partly written object. */
  put(url: string, bytes: Uint8Array): Promise<void>;
  /** Removes the object; deleting a missing object is not an error (as in S3). */
  delete(url: string): Promise<void>;
}
