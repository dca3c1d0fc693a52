// Hash probes a block at a time: every row's home slot first, then the probes, so cache misses overlap.

/**
 * Rows whose hashes and home slots the hash loops (key tables, word groups) compute before probing any of them.
 * The probe addresses are then known ahead, and the processor overlaps their cache misses instead of waiting on
 * each after hashing its row. 2,048 rows keep the block's scratch arrays and touched slots within the L2 cache.
 */
export const PROBE_BLOCK = 2048;

let sink = 0;

/**
 * Loads the first slot word of each of a block's `count` probes (slots[homes[j] * stride]) before probing. Loads
 * with no branch between them are in flight together, where a probe's own load waits behind the branches of the
 * probe before it. The sum goes to a module variable, so the loads are not dropped.
 */
export function touchSlots(slots: Int32Array, homes: Int32Array, stride: number, count: number): void {
  let sum = 0;
  for (let j = 0; j < count; j++) sum = (sum + (slots[(homes[j] as number) * stride] as number)) | 0;
  sink = sum;
}
