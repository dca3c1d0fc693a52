// The operator's admission check on submitted graphs: the shell runs it before the state machine sees the job.
import { ProtocolError, errorToInfo, isTesseraError } from "@tessera/common";
import type { ErrorInfo } from "@tessera/common";
import type { TaskGraph } from "@tessera/graph";

/**
 * Decides whether a graph may run here, reading what it must (installed modules, the storage scope); throws a
 * TesseraError naming what it refuses. The scheduler knows nothing about ops: whoever starts it supplies this
 * (`tessera scheduler` and the in-process cluster install the workers' check, see @tessera/worker).
 */
export type GraphAdmission = (graph: TaskGraph) => void;

/** null when `admission` accepts the graph, else the error to send back (a non-Tessera throw becomes a refusal too). */
export function admissionError(admission: GraphAdmission | undefined, graph: TaskGraph): ErrorInfo | null {
  if (admission === undefined) return null;
  try {
    admission(graph);
    return null;
  } catch (e) {
    return isTesseraError(e) ? e.toInfo() : new ProtocolError("GRAPH_REFUSED", `the graph was refused: ${errorToInfo(e).message}`).toInfo();
  }
}
