// Which ObjectStore serves a URL: a table keyed by scheme, so s3:// (or any other) plugs in by registration.
import { IoError } from "@tessera/common";
import { schemeOf } from "../url.js";
import { FileStore } from "./file-store.js";
import { MemoryStore } from "./memory-store.js";
import { NoneStore } from "./none-store.js";
import type { ObjectStore } from "./object-store.js";
import { LazyS3Store } from "./s3-lazy-store.js";

/** A store, or a factory called once on first use (so a heavy SDK loads only when its scheme is used). */
export type ObjectStoreProvider = ObjectStore | (() => ObjectStore);

const providers = new Map<string, ObjectStoreProvider>([
  ["file", new FileStore()],
  ["memory", new MemoryStore()],
  // none://: writes are dropped (profiling a pipeline without its storage).
  ["none", new NoneStore()],
  // Configured from the AWS environment variables at first use; the SDK loads only then (see registerS3).
  ["s3", () => new LazyS3Store()],
]);
const resolved = new Map<string, ObjectStore>();

/** Serves every URL of `scheme` (lower case, without "://") from `store`, replacing any earlier one. */
export function registerObjectStore(scheme: string, store: ObjectStoreProvider): void {
  providers.set(scheme.toLowerCase(), store);
  resolved.delete(scheme.toLowerCase());
}

/** The store for a URL or plain path (plain paths are file://). Throws IO_BAD_URL for an unknown scheme. */
export function storeFor(url: string): ObjectStore {
  const scheme = schemeOf(url);
  const hit = resolved.get(scheme);
  if (hit !== undefined) return hit;
  const p = providers.get(scheme);
  if (p === undefined) {
    throw new IoError("IO_BAD_URL", `no object store for ${scheme}:// (in ${url}); known: ${[...providers.keys()].join(", ")}`, { url });
  }
  const store = typeof p === "function" ? p() : p;
  resolved.set(scheme, store);
  return store;
}
