// The seeded cost model of a simulated cluster: worker shape, task durations, result sizes and transfer times.
import { mulberry32 } from "@tessera/common";

/** What a simulated cluster and its work look like; every random draw comes from `seed`. */
export interface SimModel {
  readonly workers: number;
  readonly threadsPerWorker: number;
  readonly memoryLimit: number;
  /** Median run time of a map task (ms); each draws from a log-normal with this median and `spread`. */
  readonly mapMs: number;
  /** Median bytes a map task produces (its result, split into one piece per reducer). */
  readonly mapBytes: number;
  /** Run time of a pick task (taking one piece of a split result), ms. */
  readonly pickMs: number;
  readonly reduceMs: number;
  readonly reduceBytes: number;
  /** Log-normal σ of durations and sizes. */
  readonly spread: number;
  /** One transfer between workers: latency (ms) plus bytes at this rate (bytes per ms). */
  readonly transferLatencyMs: number;
  readonly bytesPerMs: number;
  readonly seed: number;
}

/** 1,000 workers of 4 threads and 16 GiB on a 10 Gbit/s network; maps of ~2 s making 256 MiB, reduces of ~1 s. */
export const DEFAULT_MODEL: SimModel = {
  workers: 1000,
  threadsPerWorker: 4,
  memoryLimit: 16 * 2 ** 30,
  mapMs: 2000,
  mapBytes: 256 * 2 ** 20,
  pickMs: 0.05,
  reduceMs: 1000,
  reduceBytes: 64 * 2 ** 20,
  spread: 0.3,
  transferLatencyMs: 0.5,
  bytesPerMs: 1.25e6,
  seed: 1,
};

/** Seeded draws from the model. */
export class SimRandom {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  /** A log-normal draw with this median and σ (Box-Muller). */
  logNormal(median: number, sigma: number): number {
    const u = Math.max(this.next(), 1e-12);
    const v = this.next();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return median * Math.exp(sigma * z);
  }
}

/** Milliseconds to move `bytes` between two workers. */
export function transferMs(m: SimModel, bytes: number): number {
  return m.transferLatencyMs + bytes / m.bytesPerMs;
}
