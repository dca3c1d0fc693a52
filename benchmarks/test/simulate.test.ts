// The scheduler simulation: a small shuffle on simulated workers finishes, deterministically, with sane measurements.
import { describe, expect, it } from "vitest";
import { simulate } from "../src/simulate/simulation.js";
import { DEFAULT_MODEL } from "../src/simulate/sim-model.js";
import { shuffleGraph, squareSide } from "../src/simulate/shuffle-graph.js";

describe("simulate", () => {
  it("builds a shuffle of maps, picks and reducers as the planner does", () => {
    const { graph } = shuffleGraph(3, 4);
    expect(graph.tasks).toHaveLength(3 + 12 + 4);
    expect(graph.outputs).toEqual(["reduce-0", "reduce-1", "reduce-2", "reduce-3"]);
    expect(graph.tasks.find((t) => t.key === "reduce-2")?.deps).toEqual(["pick-0-2", "pick-1-2", "pick-2-2"]);
    expect(squareSide(1_000_000)).toBe(999);
  });

  it("runs a 30 × 30 shuffle on 40 workers to the end, the same way for the same seed", () => {
    const model = { ...DEFAULT_MODEL, workers: 40 };
    const a = simulate(model, 30, 30);
    const b = simulate(model, 30, 30);
    expect(a.tasks).toBe(30 + 900 + 30);
    // Every task goes released -> waiting -> processing -> memory at least, and is released or forgotten after.
    expect(a.transitions).toBeGreaterThanOrEqual(3 * a.tasks);
    expect(a.makespanMs).toBe(b.makespanMs);
    expect(a.movedBytes).toBe(b.movedBytes);
    // Workers never fetch less than the placement lower bound; picks stay where their map's result is.
    expect(a.movedBytes).toBeGreaterThanOrEqual(a.lowerBoundBytes);
    expect(a.movedBytes / a.lowerBoundBytes).toBeLessThan(1.5);
    expect(a.schedulerCpuMs).toBeGreaterThan(0);
    expect(a.intakeHeapBytes).toBeGreaterThan(0);
  });
});
