// Test runner configuration: unit tests beside each package, cross-process tests under test/.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts", "scheduler/test/**/*.test.ts", "worker/test/**/*.test.ts", "test/**/*.test.ts", "benchmarks/test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: "forks",
    poolOptions: { forks: { singleFork: false, maxForks: 2 } },
    reporters: ["default"],
    // The workspace packages' built code runs as Node runs it (import.meta.resolve, worker threads), not through Vite.
    server: { deps: { external: [/\/dist\//] } },
  },
});
