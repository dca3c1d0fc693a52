// ObjectStore over the local file system: file:// URLs and plain paths; writes are atomic renames.
import { promises as fsp } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { IoError } from "@tessera/common";
import { normalizeUrl } from "../url.js";
import type { ByteRange, ObjectInfo, ObjectStore } from "./object-store.js";
import { checkRange } from "./range.js";

function errno(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | null)?.code;
}

function ioError(op: "read" | "write", file: string, e: unknown): IoError {
  if (e instanceof IoError) return e;
  const code = errno(e);
  if (code === "ENOENT" || code === "ENOTDIR") return new IoError("IO_NOT_FOUND", `not found: ${file}`, { url: file });
  const cause = e instanceof Error ? e.message : String(e);
  return new IoError(op === "read" ? "IO_READ" : "IO_WRITE", `cannot ${op} ${file}: ${cause}`, { url: file });
}

/** Every regular file under `dir` whose entry name (at this level only) starts with `namePrefix`, recursively. */
async function walk(dir: string, out: ObjectInfo[], namePrefix = ""): Promise<void> {
  let entries;
  try {
    entries = await fsp.readdir(dir, { withFileTypes: true });
  } catch (e) {
    if (errno(e) === "ENOENT" || errno(e) === "ENOTDIR") return;
    throw ioError("read", dir, e);
  }
  for (const ent of entries) {
    if (!ent.name.startsWith(namePrefix)) continue;
    const full = path.join(dir, ent.name);
    if (ent.isDirectory()) {
      await walk(full, out);
    } else if (ent.isFile() || ent.isSymbolicLink()) {
      const st = await fsp.stat(full).catch(() => null);
      if (st === null) continue;
      if (st.isDirectory()) await walk(full, out);
      else if (st.isFile()) out.push({ url: full, size: st.size, mtimeMs: st.mtimeMs });
    }
  }
}

export class FileStore implements ObjectStore {
  async list(prefix: string): Promise<ObjectInfo[]> {
    const p = normalizeUrl(prefix);
    // "/data/x" lists /data entries starting with "x" (and everything below those), never all of /data.
    const dir = p.endsWith("/") ? p : path.dirname(p);
    const out: ObjectInfo[] = [];
    await walk(dir, out, p.endsWith("/") ? "" : path.basename(p));
    return out.filter((o) => o.url.startsWith(p)).sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  }

  async head(url: string): Promise<ObjectInfo> {
    const file = normalizeUrl(url);
    try {
      const st = await fsp.stat(file);
      if (!st.isFile()) throw new IoError("IO_NOT_FOUND", `not found: ${file} (not a regular file)`, { url: file });
      return { url: file, size: st.size, mtimeMs: st.mtimeMs };
    } catch (e) {
      throw ioError("read", file, e);
    }
  }

  async get(url: string, range?: ByteRange, into?: Uint8Array): Promise<Uint8Array> {
    const file = normalizeUrl(url);
    let fh: fsp.FileHandle | undefined;
    try {
      fh = await fsp.open(file, "r");
      const size = (await fh.stat()).size;
      const { offset, length } = range ?? { offset: 0, length: size };
      checkRange(file, size, offset, length);
      const buf = into !== undefined && range !== undefined && into.length >= length ? into.subarray(0, length) : new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await fh.read(buf, done, length - done, offset + done);
        if (bytesRead === 0) throw new IoError("IO_READ", `cannot read ${file}: file shrank while reading`, { url: file });
        done += bytesRead;
      }
      return buf;
    } catch (e) {
      throw ioError("read", file, e);
    } finally {
      await fh?.close();
    }
  }

  async put(url: string, bytes: Uint8Array): Promise<void> {
    const file = normalizeUrl(url);
    // Write to a unique temporary name, then rename: readers see the old object or the whole new one.
    const tmp = `${file}.tmp-${process.pid}-${randomBytes(6).toString("hex")}`;
    try {
      await fsp.mkdir(path.dirname(file), { recursive: true });
      await fsp.writeFile(tmp, bytes);
      await fsp.rename(tmp, file);
    } catch (e) {
      await fsp.rm(tmp, { force: true }).catch(() => undefined);
      throw ioError("write", file, e);
    }
  }

  async delete(url: string): Promise<void> {
    const file = normalizeUrl(url);
    try {
      await fsp.rm(file, { force: true });
    } catch (e) {
      throw ioError("write", file, e);
    }
  }
}
