// The "none" store (none://): PUTs are accepted and dropped, for measuring a pipeline without its storage.
import { IoError } from "@tessera/common";
import type { ObjectInfo, ObjectStore } from "./object-store.js";

/** Holds nothing: list is empty, reads are IO_NOT_FOUND, put and delete succeed without storing. */
export class NoneStore implements ObjectStore {
  async list(): Promise<ObjectInfo[]> {
    return [];
  }
  async head(url: string): Promise<ObjectInfo> {
    throw new IoError("IO_NOT_FOUND", `not found: ${url} (the none store keeps nothing)`, { url });
  }
  async get(url: string): Promise<Uint8Array> {
    throw new IoError("IO_NOT_FOUND", `not found: ${url} (the none store keeps nothing)`, { url });
  }
  async put(): Promise<void> {}
  async delete(): Promise<void> {}
}
