// The one table of ops a worker can run, by name: clients name ops, never send code (DESIGN principle 1).
import type { OpFn } from "@tessera/graph";
import { DATAFRAME_OPS } from "./dataframe-ops.js";
import { TEST_OPS } from "./test-ops.js";

export const OPS: Readonly<Record<string, OpFn>> = { ...TEST_OPS, ...DATAFRAME_OPS };
