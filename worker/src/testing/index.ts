// @tessera/worker/testing: the test and benchmark ops, injected into workers only by those who name this module.
export { ops as TEST_OPS, MAX_TEST_ARRAY } from "./test-ops.js";

/** The module a worker loads to offer the test ops (OpRegistry.load, the `opModules` options, `--op-module`). */
export const TEST_OPS_MODULE = new URL("./test-ops.js", import.meta.url).href;
