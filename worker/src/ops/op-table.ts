// The table of ops a worker runs, by name: clients name ops, never send code (DESIGN principle 1).
import { ExecutionError } from "@tessera/common";
import type { OpArgs, OpName } from "@tessera/ops";
import { OP_CONTRACTS, OP_NAMES } from "@tessera/ops";
import { DATAFRAME_HANDLERS } from "./dataframe-ops.js";
import { bindOp } from "./op-descriptor.js";
import type { BoundOp, BoundOps, OpDescriptor, OpHandlers } from "./op-descriptor.js";
import { SINK_HANDLERS } from "./sink-ops.js";
import { RASTER_HANDLERS } from "./raster-ops.js";
import { RASTER_SINK_HANDLERS } from "./raster-sink-ops.js";
import { OBJECT_SINK_HANDLERS } from "./object-sink-ops.js";

/** Binds every production op: its contract (from @tessera/ops) with its handler. */
export function bindProductionOps(handlers: OpHandlers): BoundOps {
  const out: Record<string, BoundOp> = {};
  for (const name of OP_NAMES) out[name] = bindProductionOp(name, handlers);
  return out;
}

function bindProductionOp<K extends OpName>(name: K, handlers: OpHandlers): BoundOp {
  const d: OpDescriptor<OpArgs[K]> = { ...OP_CONTRACTS[name], run: handlers[name] };
  return bindOp(name, d);
}

/** The production ops: the only ones a worker offers unless its operator loads op modules (OpRegistry.load). */
export const PRODUCTION_OPS: BoundOps = bindProductionOps({ ...DATAFRAME_HANDLERS, ...SINK_HANDLERS, ...OBJECT_SINK_HANDLERS, ...RASTER_HANDLERS, ...RASTER_SINK_HANDLERS });

/** The ops one worker runs: the production ops plus those of the op modules its operator named (tests, benchmarks). */
export class OpRegistry {
  private constructor(private readonly ops: BoundOps) {}

  static readonly production = new OpRegistry(PRODUCTION_OPS);

  /**
   * Adds the `ops` export of each module (a URL or package specifier chosen by whoever starts the worker, never by a
   * client). A module may not redefine a production op.
   */
  static async load(modules: readonly string[] = []): Promise<OpRegistry> {
    if (modules.length === 0) return OpRegistry.production;
    const all: Record<string, BoundOp> = { ...PRODUCTION_OPS };
    for (const m of modules) {
      const extra = ((await import(m)) as { ops?: unknown }).ops;
      if (typeof extra !== "object" || extra === null) throw new ExecutionError("BAD_OP_MODULE", `op module ${m} has no "ops" export`);
      for (const [name, op] of Object.entries(extra as Record<string, BoundOp>)) {
        if (Object.hasOwn(all, name)) throw new ExecutionError("BAD_OP_MODULE", `op module ${m} redefines the op ${name}`);
        if (typeof op?.run !== "function") throw new ExecutionError("BAD_OP_MODULE", `op module ${m}: ${name} is not an op`);
        all[name] = op;
      }
    }
    return new OpRegistry(all);
  }

  /** The op named `name`; ExecutionError UNKNOWN_OP when this worker does not offer it. */
  get(name: string): BoundOp {
    const op = Object.hasOwn(this.ops, name) ? this.ops[name] : undefined;
    if (op === undefined) throw new ExecutionError("UNKNOWN_OP", `no op named ${name} in this worker's registry`, { op: name });
    return op;
  }

  has(name: string): boolean {
    return Object.hasOwn(this.ops, name);
  }
}
