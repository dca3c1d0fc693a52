// @tessera/cli: the commands of the `tessera` binary (bin/tessera.js runs dist/main.js), importable for tests and embedding.
export { runDemo, demoCommand, DEMO_USAGE, DEMO_MODEL, DEMO_RUN } from "./demo.js";
export type { DemoOptions, DemoResult } from "./demo.js";
export { mapCommand, MAP_USAGE } from "./map-command.js";
