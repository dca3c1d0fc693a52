// Stimuli from clients: connect, submit a graph as a job, release results, disconnect.
import { ProtocolError } from "@tessera/common";
import type { ErrorInfo } from "@tessera/common";
import type { TaskSpec } from "@tessera/graph";
import { comparePriority } from "@tessera/protocol";
import { Job, SchedTask, jobKey } from "./entities.js";
import type { SchedulerCore } from "./core.js";
import { failJob, maybeFinish, releaseJob } from "./jobs.js";
import { intakeGraph } from "./graph-intake.js";
import type { ClientConnected, ClientDisconnected, GraphSubmitted, ReleaseKeys } from "@tessera/protocol";

export function clientConnected(s: SchedulerCore, m: ClientConnected): void {
  if (!s.clients.has(m.clientId)) s.clients.set(m.clientId, new Set());
}

/** A client that goes away releases everything it held, cancelling its running jobs. */
export function clientDisconnected(s: SchedulerCore, m: ClientDisconnected): void {
  const jobs = s.clients.get(m.clientId);
  if (jobs === undefined) return;
  for (const job of [...jobs]) releaseJob(s, job);
  s.clients.delete(m.clientId);
}

function rejectJob(s: SchedulerCore, m: GraphSubmitted, error: ErrorInfo): void {
  s.send({ op: "job-erred", stimulusId: s.stimulusId, clientId: m.clientId, jobId: m.jobId, key: null, error });
}

/** Same key, different work: keys are structural, so this is a bug in whoever built the graph. */
function conflicting(t: SchedTask, spec: TaskSpec): boolean {
  return t.spec.op !== spec.op || t.inputs.length !== spec.deps.length || t.inputs.some((k, i) => k !== spec.deps[i]);
}

/**
 * Creates the job and the tasks it needs that the scheduler does not know yet. Keys already known are shared
 * with the jobs that submitted them (their priority stays the earlier job's); keys in memory count as done at once.
 */
export function graphSubmitted(s: SchedulerCore, m: GraphSubmitted): void {
  const client = s.clients.get(m.clientId);
  if (client === undefined) {
    rejectJob(s, m, new ProtocolError("UNKNOWN_CLIENT", `client ${m.clientId} is not connected`).toInfo());
    return;
  }
  const key = jobKey(m.clientId, m.jobId);
  if (s.jobs.has(key)) {
    rejectJob(s, m, new ProtocolError("DUPLICATE_JOB", `job ${m.jobId} of client ${m.clientId} already exists`).toInfo());
    return;
  }
  const intake = intakeGraph(m.graph, (k) => s.tasks.has(k));
  if (!intake.ok) return rejectJob(s, m, intake.error);
  const specs = new Map<string, TaskSpec>();
  for (const spec of m.graph.tasks) specs.set(spec.key, spec);
  for (const spec of m.graph.tasks) {
    const t = s.tasks.get(spec.key);
    if (t !== undefined && conflicting(t, spec)) {
      const msg = `task ${spec.key} was submitted before with a different op or inputs`;
      return rejectJob(s, m, new ProtocolError("KEY_CONFLICT", msg, { key: spec.key }).toInfo());
    }
  }
  const wanted = neededKeys(s, m.graph.outputs, specs);

  const job = new Job(m.clientId, m.jobId, ++s.jobSeq, s.time);
  s.jobs.set(key, job);
  client.add(job);
  // Created in graph order, then linked, so dependents are visited in graph order later.
  const created: [SchedTask, TaskSpec][] = [];
  m.graph.tasks.forEach((spec, i) => {
    if (!wanted.has(spec.key) || s.tasks.has(spec.key)) return;
    const t = new SchedTask(spec.key, spec, [job.seq, spec.priority ?? i]);
    s.tasks.set(spec.key, t);
    created.push([t, spec]);
  });
  for (const [t, spec] of created) {
    for (const depKey of spec.deps) {
      const dep = s.tasks.get(depKey) as SchedTask;
      t.linkInput(dep);
    }
  }
  const fresh: SchedTask[] = [];
  let erred: SchedTask | undefined;
  for (const k of wanted) {
    const t = s.tasks.get(k) as SchedTask;
    job.total++;
    if (t.state === "memory") continue;
    t.jobs.add(job);
    job.pending.add(t);
    if (t.state === "released") fresh.push(t);
    else if (t.state === "erred") erred ??= t;
  }
  for (const outKey of m.graph.outputs) {
    const t = s.tasks.get(outKey) as SchedTask;
    job.outputs.push(t);
    t.addWantedBy(job);
  }
  if (erred?.error != null) {
    failJob(s, job, erred.blame ?? erred, erred.error);
    return;
  }
  fresh.sort((a, b) => comparePriority(a.priority, b.priority));
  for (const t of fresh) s.recommend(t, "waiting");
  maybeFinish(s, job);
}

/**
 * The keys a job must run: the outputs and, transitively, their inputs, stopping at results already in memory.
 * Tasks that lead to no output are not run (the planner lists sinks among the outputs).
 */
function neededKeys(s: SchedulerCore, outputs: readonly string[], specs: ReadonlyMap<string, TaskSpec>): Set<string> {
  const wanted = new Set<string>();
  const stack = [...outputs];
  for (let k = stack.pop(); k !== undefined; k = stack.pop()) {
    if (wanted.has(k)) continue;
    wanted.add(k);
    const known = s.tasks.get(k);
    if (known?.state === "memory") continue;
    for (const dep of specs.get(k)?.deps ?? known?.inputs ?? []) stack.push(dep);
  }
  return wanted;
}

/** Drops a whole job (cancelling it if running), or some output keys of this client's jobs. */
export function releaseKeys(s: SchedulerCore, m: ReleaseKeys): void {
  const jobs = s.clients.get(m.clientId);
  if (jobs === undefined) return;
  if (m.jobId !== undefined) {
    const job = s.jobs.get(jobKey(m.clientId, m.jobId));
    if (job !== undefined) releaseJob(s, job);
  }
  for (const k of m.keys ?? []) {
    const t = s.tasks.get(k);
    if (t === undefined) continue;
    for (const job of [...t.wantedBy]) {
      if (job.clientId !== m.clientId) continue;
      t.removeWantedBy(job);
      s.releaseIfUnneeded(t);
      if (job.status !== "running" && !job.outputs.some((o) => o.wantedBy.has(job))) releaseJob(s, job);
    }
  }
}
