// The journal's file: length- and CRC-framed msgpack records appended to one file, a torn tail cut off, atomic rewrites.
import { closeSync, existsSync, fdatasyncSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { IoError } from "@tessera/common";
import { decodeStrict, encodePlain } from "@tessera/protocol";

/** Bytes before each record: its length and the CRC-32 of its bytes (little-endian u32 each). */
const FRAME_HEAD = 8;
export const JOURNAL_FILE = "journal.log";
const LOCK_FILE = "journal.lock";

/** Frames one record: [length][crc32][msgpack]. */
export function frameRecord(record: unknown): Buffer {
  const body = encodePlain(record);
  const out = Buffer.allocUnsafe(FRAME_HEAD + body.byteLength);
  out.writeUInt32LE(body.byteLength, 0);
  out.writeUInt32LE(crc32(body), 4);
  out.set(body, FRAME_HEAD);
  return out;
}

/**
 * The records of a journal file, in order, up to the first torn or corrupt frame (a crash in the middle of a write
 * leaves one at the tail); `validBytes` is where that frame starts, so appending can continue from there.
 */
export function readRecords(path: string): { records: unknown[]; validBytes: number; tornBytes: number } {
  if (!existsSync(path)) return { records: [], validBytes: 0, tornBytes: 0 };
  const bytes = readFileSync(path);
  const records: unknown[] = [];
  let at = 0;
  while (at + FRAME_HEAD <= bytes.byteLength) {
    const len = bytes.readUInt32LE(at);
    const sum = bytes.readUInt32LE(at + 4);
    const end = at + FRAME_HEAD + len;
    if (end > bytes.byteLength) break;
    const body = bytes.subarray(at + FRAME_HEAD, end);
    if (crc32(body) !== sum) break;
    try {
      records.push(decodeStrict(body, { maxDepth: 256 }));
    } catch {
      break;
    }
    at = end;
  }
  return { records, validBytes: at, tornBytes: bytes.byteLength - at };
}

/** An open journal file: appends go to the end; `sync` makes them durable; `rewrite` replaces the whole file atomically. */
export class JournalFile {
  private fd: number;
  /** Bytes in the file now. */
  size: number;

  private constructor(readonly dir: string, fd: number, size: number) {
    this.fd = fd;
    this.size = size;
  }

  /** Opens (creating) DIR/journal.log for appending after its last valid record; a torn tail is cut off first. */
  static open(dir: string, validBytes: number): JournalFile {
    mkdirSync(dir, { recursive: true });
    const fd = openSync(join(dir, JOURNAL_FILE), existsSync(join(dir, JOURNAL_FILE)) ? "r+" : "w+");
    ftruncateSync(fd, validBytes);
    return new JournalFile(dir, fd, validBytes);
  }

  append(bytes: Buffer): void {
    let off = 0;
    while (off < bytes.byteLength) off += writeSync(this.fd, bytes, off, bytes.byteLength - off, this.size + off);
    this.size += bytes.byteLength;
  }

  /** Data on disk (fdatasync): survives a machine crash, not only a process crash. */
  sync(): void {
    fdatasyncSync(this.fd);
  }

  /** Replaces the file by `bytes`: written to a temporary file, synced, renamed over, the directory synced. */
  rewrite(bytes: Buffer): void {
    const tmp = join(this.dir, `${JOURNAL_FILE}.tmp`);
    const fd = openSync(tmp, "w");
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, join(this.dir, JOURNAL_FILE));
    syncDir(this.dir);
    closeSync(this.fd);
    this.fd = openSync(join(this.dir, JOURNAL_FILE), "r+");
    this.size = bytes.byteLength;
  }

  close(): void {
    fsyncSync(this.fd);
    closeSync(this.fd);
  }
}

function syncDir(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Takes DIR's lock for this process: a journal is written by one scheduler at a time. A lock left by a process that
 * no longer runs (a killed scheduler) is taken over. Returns the release function.
 */
export function lockJournal(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  if (existsSync(path)) {
    const pid = Number(readFileSync(path, "utf8").trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
      throw new IoError("JOURNAL_LOCKED", `the journal in ${dir} is in use by process ${pid}`, { dir, pid });
    }
  }
  writeFileSync(path, `${process.pid}\n`);
  return () => {
    try {
      if (Number(readFileSync(path, "utf8").trim()) === process.pid) unlinkSync(path);
    } catch { /* already gone */ }
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
