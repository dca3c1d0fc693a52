// The dashboard's graph view: a job's task graph drawn as its plan's stages (/graph?job=CLIENT/JOB, data at /api/graph).
import type { JobGraphStatus, StatusSource } from "./status-types.js";

/** The view's files in static/dashboard and the routes they are served at. */
export const GRAPH_VIEW_FILES: readonly (readonly [route: string, file: string, type: string])[] = [
  ["/graph", "graph.html", "text/html; charset=utf-8"],
  ["/static/graph.js", "graph.js", "text/javascript; charset=utf-8"],
  ["/static/graph.css", "graph.css", "text/css; charset=utf-8"],
];

/** The answer to /api/graph?job=CLIENT/JOB: 200 with the job's stage view, 400 for a malformed id, 404 when unknown. */
export function jobGraphResponse(url: URL, source: StatusSource): { status: number; body: JobGraphStatus | { error: string } } {
  const id = url.searchParams.get("job") ?? "";
  const slash = id.lastIndexOf("/");
  if (slash <= 0 || slash === id.length - 1) return { status: 400, body: { error: "expected ?job=CLIENT/JOB" } };
  const graph = source.jobGraph?.(id.slice(0, slash), id.slice(slash + 1)) ?? null;
  return graph === null ? { status: 404, body: { error: `no job ${id}` } } : { status: 200, body: graph };
}
