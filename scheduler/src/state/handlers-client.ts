// Stimuli from clients: connect, submit a graph as a job, release results, disconnect.
import { ProtocolError } from "@tessera/common";
import type { ErrorInfo } from "@tessera/common";
import type { TaskSpec } from "@tessera/graph";
import { comparePriority } from "@tessera/protocol";
import { Job, SchedTask, TaskGroup, jobKey } from "./entities.js";
import type { SchedulerCore } from "./core.js";
import { failJob, maybeFinish, releaseJob } from "./jobs.js";
import { intakeGraph } from "./graph-intake.js";
import type { GraphIndex } from "./graph-intake.js";
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
  return t.op !== spec.op || t.inputs.length !== spec.deps.length || t.inputs.some((k, i) => k !== spec.deps[i]);
}

/**
 * Creates the job and the tasks it needs that the scheduler does not know yet. Keys already known are shared
 * with the jobs that submitted them (their priority stays the earlier job's); keys in memory count as done at once.
 * Works on graph positions (the intake's index), so a graph of 10^6 tasks costs a few lookups per task.
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
  const specs = m.graph.tasks;
  const n = specs.length;
  const byPos: (SchedTask | undefined)[] = new Array<SchedTask | undefined>(n);
  for (let i = 0; i < n && s.tasks.size > 0; i++) {
    const spec = specs[i] as TaskSpec;
    const t = s.tasks.get(spec.key);
    if (t === undefined) continue;
    if (conflicting(t, spec)) {
      const msg = `task ${spec.key} was submitted before with a different op or inputs`;
      return rejectJob(s, m, new ProtocolError("KEY_CONFLICT", msg, { key: spec.key }).toInfo());
    }
    byPos[i] = t;
  }
  const { marked, outside } = neededTasks(s, m.graph.outputs, specs, intake.index, byPos);
  s.intakeTasks = byPos;

  const job = new Job(m.clientId, m.jobId, ++s.jobSeq, s.time);
  s.jobs.set(key, job);
  client.add(job);
  // Created in graph order, then linked, so dependents are visited in graph order later.
  const groups = new Map<string, TaskGroup>();
  for (let i = 0; i < n; i++) {
    if (marked[i] === 0 || byPos[i] !== undefined) continue;
    const spec = specs[i] as TaskSpec;
    const name = spec.label?.name ?? spec.op;
    let group = groups.get(name);
    if (group === undefined) { group = new TaskGroup(); groups.set(name, group); }
    const t = new SchedTask(spec.key, spec, [job.seq, spec.priority ?? i], group);
    s.tasks.set(spec.key, t);
    byPos[i] = t;
    marked[i] = 2;
  }
  const { start, edges } = intake.index;
  for (let i = 0; i < n; i++) {
    if (marked[i] !== 2) continue;
    const t = byPos[i] as SchedTask;
    const deps = (specs[i] as TaskSpec).deps;
    for (let e = start[i] as number, k = 0; e < (start[i + 1] as number); e++, k++) {
      const j = edges[e] as number;
      t.linkInput((j >= 0 ? byPos[j] : s.tasks.get(deps[k] as string)) as SchedTask);
    }
  }
  const fresh: SchedTask[] = [];
  let ordered = true;
  let erred: SchedTask | undefined;
  const take = (t: SchedTask): void => {
    job.total++;
    if (t.state === "memory" || t.jobs.has(job)) return;
    t.addJob(job);
    job.pending++;
    job.tasks.push(t);
    if (t.state === "released") {
      const last = fresh[fresh.length - 1];
      if (last !== undefined && comparePriority(last.priority, t.priority) > 0) ordered = false;
      fresh.push(t);
    } else if (t.state === "erred") erred ??= t;
  };
  for (let i = 0; i < n; i++) if (marked[i] !== 0) take(byPos[i] as SchedTask);
  for (const t of outside) take(t);
  for (const outKey of m.graph.outputs) {
    const pos = intake.index.position.get(outKey);
    const t = (pos !== undefined ? byPos[pos] : s.tasks.get(outKey)) as SchedTask;
    job.outputs.push(t);
    t.addWantedBy(job);
  }
  if (erred?.error != null) {
    failJob(s, job, erred.blame ?? erred, erred.error);
    return;
  }
  if (!ordered) fresh.sort((a, b) => comparePriority(a.priority, b.priority));
  for (const t of fresh) s.recommend(t, "waiting");
  maybeFinish(s, job);
}

/**
 * The tasks a job must run: the outputs and, transitively, their inputs, stopping at results already in memory.
 * `marked[i]` is 1 for graph positions needed; `outside` are needed tasks the scheduler knew and the graph does
 * not list. Tasks that lead to no output are not run (the planner lists sinks among the outputs).
 */
function neededTasks(
  s: SchedulerCore, outputs: readonly string[], specs: readonly TaskSpec[], index: GraphIndex, byPos: readonly (SchedTask | undefined)[],
): { marked: Uint8Array; outside: Set<SchedTask> } {
  const marked = new Uint8Array(specs.length);
  const outside = new Set<SchedTask>();
  const stack: number[] = [];
  const outsideStack: SchedTask[] = [];
  const visitKey = (k: string): void => {
    const pos = index.position.get(k);
    if (pos !== undefined) { if (marked[pos] === 0) { marked[pos] = 1; stack.push(pos); } return; }
    const t = s.tasks.get(k);
    if (t !== undefined && !outside.has(t)) { outside.add(t); outsideStack.push(t); }
  };
  for (const k of outputs) visitKey(k);
  while (stack.length > 0 || outsideStack.length > 0) {
    const i = stack.pop();
    if (i !== undefined) {
      if (byPos[i]?.state === "memory") continue;
      const deps = (specs[i] as TaskSpec).deps;
      for (let e = index.start[i] as number, k = 0; e < (index.start[i + 1] as number); e++, k++) {
        const j = index.edges[e] as number;
        if (j >= 0) { if (marked[j] === 0) { marked[j] = 1; stack.push(j); } } else visitKey(deps[k] as string);
      }
      continue;
    }
    const t = outsideStack.pop() as SchedTask;
    if (t.state !== "memory") for (const k of t.inputs) visitKey(k);
  }
  return { marked, outside };
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
