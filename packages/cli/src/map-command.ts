// `tessera map OUTPUT`: the dashboard's map page over an output root, on its own (no scheduler), read-only.
import { parseArgs } from "node:util";
import { PlanError } from "tessera";
import { DashboardServer } from "@tessera/scheduler";

export const MAP_USAGE = "tessera map [--port 8788] [--host 127.0.0.1] [--insecure] OUTPUT   the map page (runs under OUTPUT: file://DIR, a path, s3://BUCKET/PREFIX)";

/** Starts the map server and runs until SIGTERM or SIGINT; prints its URL first. TESSERA_TOKEN guards it as it guards the dashboard. */
export async function mapCommand(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: { port: { type: "string" }, host: { type: "string" }, insecure: { type: "boolean" } }, strict: true, allowPositionals: true });
  } catch (e) {
    throw new PlanError("BAD_ARGUMENT", `${e instanceof Error ? e.message : String(e)}\nusage: ${MAP_USAGE}`);
  }
  const [outputs, ...extra] = parsed.positionals;
  if (outputs === undefined || extra.length > 0) throw new PlanError("BAD_ARGUMENT", `name one output root\nusage: ${MAP_USAGE}`);
  const port = Number(parsed.values.port ?? 8788);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new PlanError("BAD_ARGUMENT", `--port must be a port number, got ${parsed.values.port}`);
  const token = process.env["TESSERA_TOKEN"] || null;
  const server = await DashboardServer.start({ port, host: parsed.values.host ?? "127.0.0.1", outputs, token, insecure: parsed.values.insecure === true });
  process.stdout.write(`tessera map at ${server.url}map (runs under ${outputs})\n`);
  return new Promise<number>((resolve) => {
    const stop = (): void => { void server.close().then(() => resolve(0)); };
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
  });
}
