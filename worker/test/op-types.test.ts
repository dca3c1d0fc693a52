// Adding an op is one entry in OpArgs and one handler: the compiler refuses a handler whose args type is wrong.
// (Test files are type-checked by `npm test`: an @ts-expect-error below that stopped erring would fail it.)
import { describe, expect, it } from "vitest";
import type { PickArgs, SinkPartArgs, TaskOf } from "@tessera/ops";
import { DATAFRAME_HANDLERS, OBJECT_SINK_HANDLERS, RASTER_HANDLERS, RASTER_SINK_HANDLERS, SINK_HANDLERS, bindProductionOps } from "@tessera/worker";
import type { OpHandlers } from "@tessera/worker";

describe("the typed op contract", () => {
  const handlers: OpHandlers = { ...DATAFRAME_HANDLERS, ...SINK_HANDLERS, ...OBJECT_SINK_HANDLERS, ...RASTER_HANDLERS, ...RASTER_SINK_HANDLERS };

  it("accepts a handler typed by its op's args and runs it with checked args", async () => {
    const pick = (args: PickArgs, inputs: readonly unknown[]): unknown => (inputs[0] as unknown[])[args.index];
    const ops = bindProductionOps({ ...handlers, pick });
    expect(await ops["pick"]?.run({ index: 1 }, [["a", "b"]])).toBe("b");
  });

  it("refuses, at compile time, a handler registered with another op's args type", () => {
    // @ts-expect-error pick's handler must take PickArgs, not SinkPartArgs.
    const wrong: OpHandlers = { ...handlers, pick: (args: SinkPartArgs) => args.url };
    // @ts-expect-error every production op needs a handler: the sink handlers are missing.
    const missing: OpHandlers = { ...DATAFRAME_HANDLERS };
    // @ts-expect-error a task's args must match its op.
    const task: TaskOf<"pick"> = { key: "p", op: "pick", args: { url: "file:///x" }, deps: [] };
    expect([wrong, missing, task].length).toBe(3);
  });
});
