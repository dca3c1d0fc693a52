// What the benchmarks ran on: CPU, memory, OS, Node, and the load on the machine when the run started.
import { arch, cpus, loadavg, platform, release, totalmem } from "node:os";
import { availableParallelism } from "node:os";

export interface MachineInfo {
  readonly cpuCount: number;
  readonly cpuModel: string;
  readonly memoryBytes: number;
  readonly os: string;
  readonly node: string;
  /** 1-minute load average when the suite started: other work on a shared machine skews times. */
  readonly loadAverage1m: number;
}

export function machineInfo(): MachineInfo {
  const c = cpus();
  return {
    cpuCount: availableParallelism(),
    cpuModel: c[0]?.model.trim() ?? "unknown",
    memoryBytes: totalmem(),
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
    loadAverage1m: Number((loadavg()[0] ?? 0).toFixed(2)),
  };
}

export function describeMachine(m: MachineInfo): string {
  return `${m.cpuCount} cores (${m.cpuModel}), ${(m.memoryBytes / 2 ** 30).toFixed(0)} GiB RAM, ${m.os}, Node ${m.node}; load average ${m.loadAverage1m} at start`;
}
