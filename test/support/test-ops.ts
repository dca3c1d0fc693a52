// The test ops module (noop, sleep, sum-inputs, fail, make-array, ...): workers of these tests load it explicitly.
export const TEST_OPS_MODULE = new URL("../../worker/dist/testing/test-ops.js", import.meta.url).href;
