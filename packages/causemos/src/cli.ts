// `tessera causemos ...`: the pipeline from the command line, flags named after the original's parameters.
import { parseArgs } from "node:util";
import { PlanError } from "tessera";
import type { CausemosParams, OutputTask } from "./params.js";
import { runCausemos } from "./run.js";

export const CAUSEMOS_USAGE = `tessera causemos --model-id M --run-id R --out file://DIR|s3://BUCKET|none [--indicator] [--qualifier-map JSON]
      [--qualifier-thresholds JSON] [--weight-column C] [--raw-count-threshold N] [--fill-timestamp MS] [--selected-output-tasks a,b] FILES...
                                        run the Causemos pipeline on Parquet FILES; objects go to {out}/{model-id}/{run-id}/...`;

function bad(message: string): never {
  throw new PlanError("CAUSEMOS_BAD_PARAMETER", `${message}\nusage: ${CAUSEMOS_USAGE}`);
}

function json(flag: string, text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch (e) {
    return bad(`--${flag} must be JSON (${e instanceof Error ? e.message : String(e)})`);
  }
}

function integer(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n)) bad(`--${flag} must be a number, got "${text}"`);
  return n;
}

/** Parses `argv` (the words after `causemos`) into the pipeline's parameters and the output URL. */
export function parseCausemosArgs(argv: readonly string[]): { params: Partial<CausemosParams>; out: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv], allowPositionals: true, strict: true,
      options: {
        "model-id": { type: "string" }, "run-id": { type: "string" }, out: { type: "string" }, indicator: { type: "boolean" },
        "qualifier-map": { type: "string" }, "qualifier-thresholds": { type: "string" }, "weight-column": { type: "string" },
        "raw-count-threshold": { type: "string" }, "fill-timestamp": { type: "string" }, "selected-output-tasks": { type: "string" },
      },
    });
  } catch (e) {
    return bad(e instanceof Error ? e.message : String(e));
  }
  const v = parsed.values;
  if (v.out === undefined) bad("--out is required");
  if (parsed.positionals.length === 0) bad("no input FILES given");
  const params: Record<string, unknown> = { data_paths: parsed.positionals };
  if (v["model-id"] !== undefined) params["model_id"] = v["model-id"];
  if (v["run-id"] !== undefined) params["run_id"] = v["run-id"];
  if (v.indicator === true) params["is_indicator"] = true;
  if (v["qualifier-map"] !== undefined) params["qualifier_map"] = json("qualifier-map", v["qualifier-map"]);
  if (v["qualifier-thresholds"] !== undefined) params["qualifier_thresholds"] = json("qualifier-thresholds", v["qualifier-thresholds"]);
  if (v["weight-column"] !== undefined) params["weight_column"] = v["weight-column"];
  const threshold = integer("raw-count-threshold", v["raw-count-threshold"]);
  if (threshold !== undefined) params["raw_count_threshold"] = threshold;
  const fill = integer("fill-timestamp", v["fill-timestamp"]);
  if (fill !== undefined) params["fill_timestamp"] = fill;
  if (v["selected-output-tasks"] !== undefined) {
    params["selected_output_tasks"] = v["selected-output-tasks"].split(",").map((s) => s.trim()).filter((s) => s !== "") as OutputTask[];
  }
  return { params: params as Partial<CausemosParams>, out: v.out as string };
}

/**
 * Runs `tessera causemos` with `argv` (the words after the command name) on the default client; prints one line
 * saying what was written. Returns the exit code; bad flags and bad input throw coded errors (nothing written).
 */
export async function causemosCommand(argv: readonly string[], log: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<number> {
  const { params, out } = parseCausemosArgs(argv);
  const r = await runCausemos(params, { out });
  const where = out === "none" ? "nowhere (none)" : out;
  log(`causemos: ${r.written.objects} objects, ${r.written.bytes} bytes written to ${where} in ${r.seconds.toFixed(1)} s; ` +
    `${r.counters.num_rows} rows, features ${r.features.join(", ")}; ${r.wroteResults ? "results.json written last" : "no results.json (a subset of tasks)"}`);
  return 0;
}
