// Pool threads start with an old generation sized for their tasks: V8's initial old-space size is set while a pool's
// threads create their heaps, and V8's default comes back once they have (for heaps the process creates later).
import { afterEach, describe, expect, it } from "vitest";
import { THREAD_OLD_SPACE_MB, ThreadPool, threadHeapFlag } from "@tessera/worker";

/** Waits (bounded) until every thread of the pool has loaded its modules, which it does after creating its heap. */
async function loaded(pool: ThreadPool): Promise<void> {
  for (let k = 0; k < 2000 && pool.threadsLoaded < pool.threads; k++) await new Promise((r) => setTimeout(r, 5));
  expect(pool.threadsLoaded).toBe(pool.threads);
  await new Promise((r) => setImmediate(r));
}

describe("pool threads' heaps", () => {
  const saved = process.env["NODE_OPTIONS"];
  afterEach(() => {
    if (saved === undefined) delete process.env["NODE_OPTIONS"];
    else process.env["NODE_OPTIONS"] = saved;
  });

  it("are sized while a pool's threads start, and V8's default is back once every starting pool's threads have loaded", async () => {
    expect(threadHeapFlag()).toBeNull();
    const a = new ThreadPool({ threads: 2 });
    expect(threadHeapFlag()).toBe(THREAD_OLD_SPACE_MB);
    const b = new ThreadPool({ threads: 1 });
    await loaded(a);
    // b may still be starting: the setting stays until its threads have loaded too.
    await loaded(b);
    expect(threadHeapFlag()).toBeNull();
    await Promise.all([a.close(), b.close()]);
    expect(threadHeapFlag()).toBeNull();
  }, 60_000);

  it("a pool closed before its threads loaded restores the default too", async () => {
    const c = new ThreadPool({ threads: 1 });
    expect(threadHeapFlag()).toBe(THREAD_OLD_SPACE_MB);
    await c.close();
    expect(threadHeapFlag()).toBeNull();
  }, 60_000);

  it("leaves a size the user chose (NODE_OPTIONS or a node flag) alone", async () => {
    process.env["NODE_OPTIONS"] = "--initial-old-space-size=32";
    const d = new ThreadPool({ threads: 1 });
    expect(threadHeapFlag()).toBeNull();
    await d.close();
    process.env["NODE_OPTIONS"] = "--initial_old_space_size=32";
    const e = new ThreadPool({ threads: 1 });
    expect(threadHeapFlag()).toBeNull();
    await e.close();
  }, 60_000);
});
