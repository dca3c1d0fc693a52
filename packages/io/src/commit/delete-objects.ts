// Deleting many objects: one batched request per store that offers it (S3 DeleteObjects), else bounded parallel deletes.
import { storeFor } from "../store/registry.js";
import type { ObjectStore } from "../store/object-store.js";

/** A store that can delete many objects in few requests (the s3 store does). */
interface BatchDeleting {
  deleteMany(urls: readonly string[]): Promise<void>;
}

function batchDeleting(store: ObjectStore): store is ObjectStore & BatchDeleting {
  return typeof (store as Partial<BatchDeleting>).deleteMany === "function";
}

const PARALLEL_DELETES = 16;

/** Deletes every URL (any mix of stores); missing objects are not errors. Rejects with the first failure. */
export async function deleteObjects(urls: readonly string[]): Promise<void> {
  const byStore = new Map<ObjectStore, string[]>();
  for (const url of urls) {
    const store = storeFor(url);
    const list = byStore.get(store);
    if (list === undefined) byStore.set(store, [url]);
    else list.push(url);
  }
  await Promise.all([...byStore].map(async ([store, list]) => {
    if (batchDeleting(store)) return store.deleteMany(list);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < list.length) await store.delete(list[next++] as string);
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_DELETES, list.length) }, worker));
  }));
}
