// The op descriptor: an op's contract (args check, storage access) and its handler, typed by the same args.
import type { OpArgs, OpContract, OpName, StorageAccess } from "@tessera/ops";
import { validateArgs } from "@tessera/ops";

/** Runs one task: `args` already checked against the op's contract; `inputs` are the dependencies' results, in order. */
export type OpHandler<A> = (args: A, inputs: readonly unknown[]) => unknown;

/** One op: its contract (args check, storage access) and its handler, typed by the same args. */
export interface OpDescriptor<A> extends OpContract<A> {
  readonly run: OpHandler<A>;
}

/** A handler for every production op, each typed by its entry in OpArgs: a wrong args type does not compile. */
export type OpHandlers = { readonly [K in OpName]: OpHandler<OpArgs[K]> };

/** An op as the runners call it: args straight off the wire are checked before the handler sees them. */
export interface BoundOp {
  run(args: unknown, inputs: readonly unknown[]): unknown;
  storage(args: unknown): StorageAccess;
}

/** Ops by name, after binding. An op module (see OpRegistry.load) exports one of these as `ops`. */
export type BoundOps = Readonly<Record<string, BoundOp>>;

export function bindOp<A>(name: string, d: OpDescriptor<A>): BoundOp {
  return {
    run: (args, inputs) => d.run(validateArgs(name, d, args), inputs),
    storage: (args) => d.storage(validateArgs(name, d, args)),
  };
}

/** Binds a table of descriptors (each typed by its own args) into ops the runners can call with unchecked args. */
export function bindOps<T extends Record<string, unknown>>(table: { readonly [K in keyof T & string]: OpDescriptor<T[K]> }): BoundOps {
  const out: Record<string, BoundOp> = {};
  for (const name of Object.keys(table) as (keyof T & string)[]) out[name] = bindOp(name, table[name]);
  return out;
}
