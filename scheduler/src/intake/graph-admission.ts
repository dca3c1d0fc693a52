// The operator's admission check on submitted graphs: the shell runs it before the state machine sees the job.
import { ProtocolError, errorToInfo, isTesseraError } from "@tessera/common";
import type { ErrorInfo } from "@tessera/common";
import type { GraphAdmission, TaskGraph } from "@tessera/graph";

export type { GraphAdmission };

/**
 * null when `admission` accepts the graph, else the error to send back (a non-Tessera throw becomes a refusal too),
 * its details marked `refused: "intake"`: no task of the graph ran, so a client has nothing to clean up.
 */
export function admissionError(admission: GraphAdmission | undefined, graph: TaskGraph): ErrorInfo | null {
  if (admission === undefined) return null;
  try {
    admission(graph);
    return null;
  } catch (e) {
    const info = isTesseraError(e) ? e.toInfo() : new ProtocolError("GRAPH_REFUSED", `the graph was refused: ${errorToInfo(e).message}`).toInfo();
    return { ...info, details: { ...info.details, refused: "intake" } };
  }
}
