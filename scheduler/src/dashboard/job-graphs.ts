// Per job, its task graph folded into plan stages: task counts by state, result bytes, and bytes flowing between stages.
import type { GraphSubmitted, StageProgress } from "@tessera/protocol";
import type { EdgeStatus, JobGraphStatus, JobState, StageStatus } from "./status-types.js";

/** A task's state as the dashboard draws it. */
const WAITING = 0;
const PROCESSING = 1;
const MEMORY = 2;
const ERRED = 3;
type Drawn = typeof WAITING | typeof PROCESSING | typeof MEMORY | typeof ERRED;

interface StageRec {
  readonly name: string;
  readonly title: string;
  readonly inputs: string[];
  total: number;
  /** Tasks per drawn state (waiting is the rest). */
  processing: number;
  memory: number;
  erred: number;
  /** Tasks that reached memory at least once, and the bytes of their results. */
  done: number;
  nbytes: number;
}

interface TaskRec {
  readonly graph: JobGraph;
  readonly stage: StageRec;
  state: Drawn;
  done: boolean;
  /** Edges (indices into graph.edges) this task's result flows along; null while it has none. */
  edges: number[] | null;
}

class JobGraph {
  readonly stages: StageRec[] = [];
  readonly edges: { from: string; to: string; nbytes: number }[] = [];
  /** The job's task keys while it runs (to let go of their records when it ends); null once it has ended. */
  keys: string[] | null = [];
  state: JobState = "running";
  finishedAt: number | null = null;

  constructor(readonly clientId: string, readonly jobId: string, readonly explain: string | null, readonly submittedAt: number) {}

  status(): JobGraphStatus {
    const stages: StageStatus[] = this.stages.map((s) => ({
      name: s.name, title: s.title, inputs: [...s.inputs], total: s.total, done: s.done, nbytes: s.nbytes,
      waiting: s.total - s.processing - s.memory - s.erred, processing: s.processing, memory: s.memory, erred: s.erred,
    }));
    const edges: EdgeStatus[] = this.edges.map((e) => ({ ...e }));
    return {
      clientId: this.clientId, jobId: this.jobId, state: this.state, submittedAt: this.submittedAt, finishedAt: this.finishedAt,
      explain: this.explain, stages, edges,
    };
  }
}

/** A key's records: one record when a single running job has the key (the common case), else one per job. */
type Records = TaskRec | TaskRec[];

function jobKeyOf(clientId: string, jobId: string): string {
  return `${clientId}\u0000${jobId}`;
}

/**
 * Builds each job's stage view from what the scheduler receives and sends (graph-submitted, compute-task,
 * task-finished, task-erred): it never changes what is sent. Running jobs and the last `history` finished ones are kept.
 */
export class JobGraphs {
  private readonly running = new Map<string, JobGraph>();
  private readonly past: JobGraph[] = [];
  /** The records of a key in every running job that has it (jobs may share keys). */
  private readonly byKey = new Map<string, Records>();

  constructor(private readonly history = 20) {}

  submitted(m: GraphSubmitted, time: number): void {
    const k = jobKeyOf(m.clientId, m.jobId);
    if (this.running.has(k)) return;
    const g = new JobGraph(m.clientId, m.jobId, m.plan?.explain ?? null, time);
    const stages = new Map<string, StageRec>();
    const stage = (name: string, title: string): StageRec => {
      let s = stages.get(name);
      if (s === undefined) {
        s = { name, title, inputs: [], total: 0, processing: 0, memory: 0, erred: 0, done: 0, nbytes: 0 };
        stages.set(name, s);
        g.stages.push(s);
      }
      return s;
    };
    for (const p of m.plan?.stages ?? []) stage(p.name, p.title);
    const tasks = m.graph.tasks;
    const keys = g.keys as string[];
    const recs: TaskRec[] = new Array(tasks.length);
    for (let i = 0; i < tasks.length; i++) {
      const t = tasks[i] as (typeof tasks)[number];
      const s = stage(t.label?.name ?? t.op, t.op);
      s.total++;
      const rec: TaskRec = { graph: g, stage: s, state: WAITING, done: false, edges: null };
      recs[i] = rec;
      keys.push(t.key);
      const had = this.byKey.get(t.key);
      if (had === undefined) this.byKey.set(t.key, rec);
      else if (Array.isArray(had)) had.push(rec);
      else this.byKey.set(t.key, [had, rec]);
    }
    // With one stage no dependency crosses stages: there are no edges to find.
    if (g.stages.length > 1) this.addEdges(g, tasks, recs);
    this.running.set(k, g);
  }

  /** `key`'s record in job `g`, if it has one. */
  private recordIn(key: string, g: JobGraph): TaskRec | undefined {
    const had = this.byKey.get(key);
    if (had === undefined || !Array.isArray(had)) return had?.graph === g ? had : undefined;
    return had.find((r) => r.graph === g);
  }

  /** The edges between stages that `tasks`' dependencies cross, and on each dependency's record the edges it feeds. */
  private addEdges(g: JobGraph, tasks: GraphSubmitted["graph"]["tasks"], recs: readonly TaskRec[]): void {
    const edgeIndex = new Map<string, number>();
    for (let i = 0; i < tasks.length; i++) {
      const to = (recs[i] as TaskRec).stage;
      for (const dep of (tasks[i] as (typeof tasks)[number]).deps) {
        const rec = this.recordIn(dep, g);
        if (rec === undefined || rec.stage === to) continue;
        const from = rec.stage;
        const id = `${from.name}\u0000${to.name}`;
        let e = edgeIndex.get(id);
        if (e === undefined) {
          e = g.edges.length;
          edgeIndex.set(id, e);
          g.edges.push({ from: from.name, to: to.name, nbytes: 0 });
          if (!to.inputs.includes(from.name)) to.inputs.push(from.name);
        }
        if (rec.edges === null) rec.edges = [e];
        else if (!rec.edges.includes(e)) rec.edges.push(e);
      }
    }
  }

  /** A compute-task went out for `key`. */
  sent(key: string): void {
    const had = this.byKey.get(key);
    if (had === undefined) return;
    if (!Array.isArray(had)) this.move(had, PROCESSING);
    else for (const r of had) this.move(r, PROCESSING);
  }

  /** `key`'s result is held (`nbytes`): counted once per task as done, and as bytes along its stage's edges. */
  finished(key: string, nbytes: number): void {
    const had = this.byKey.get(key);
    if (had === undefined) return;
    if (!Array.isArray(had)) this.finish(had, nbytes);
    else for (const r of had) this.finish(r, nbytes);
  }

  erred(key: string): void {
    const had = this.byKey.get(key);
    if (had === undefined) return;
    if (!Array.isArray(had)) this.move(had, ERRED);
    else for (const r of had) this.move(r, ERRED);
  }

  /** The job ended (done, erred or cancelled): kept among the last finished ones, without its tasks' records. */
  ended(clientId: string, jobId: string, state: Exclude<JobState, "running">, time: number): void {
    const k = jobKeyOf(clientId, jobId);
    const g = this.running.get(k);
    if (g === undefined) return;
    this.running.delete(k);
    g.state = state;
    g.finishedAt = time;
    // Only running jobs have records: when this was the only one, they are all its own.
    if (this.running.size === 0) this.byKey.clear();
    else for (const key of g.keys ?? []) {
      const had = this.byKey.get(key);
      if (had === undefined) continue;
      if (!Array.isArray(had)) {
        if (had.graph === g) this.byKey.delete(key);
        continue;
      }
      const rest = had.filter((r) => r.graph !== g);
      if (rest.length === 0) this.byKey.delete(key);
      else this.byKey.set(key, rest.length === 1 ? (rest[0] as TaskRec) : rest);
    }
    g.keys = null;
    this.past.push(g);
    if (this.past.length > this.history) this.past.shift();
  }

  /** How many keys have records (running jobs' tasks): what the dashboard holds per task. */
  get trackedKeys(): number {
    return this.byKey.size;
  }

  /** Per stage progress of a running job, in plan order (what job-progress carries to the client). */
  progress(clientId: string, jobId: string): StageProgress[] | undefined {
    const g = this.running.get(jobKeyOf(clientId, jobId));
    return g?.stages.map((s) => ({ name: s.name, done: s.done, total: s.total, nbytes: s.nbytes }));
  }

  /** A job's stage view (running, or among the last finished), or null. */
  graph(clientId: string, jobId: string): JobGraphStatus | null {
    const g = this.running.get(jobKeyOf(clientId, jobId)) ?? this.past.findLast((x) => x.clientId === clientId && x.jobId === jobId);
    return g?.status() ?? null;
  }

  private finish(r: TaskRec, nbytes: number): void {
    this.move(r, MEMORY);
    if (r.done) return;
    r.done = true;
    r.stage.done++;
    r.stage.nbytes += nbytes;
    if (r.edges !== null) for (const e of r.edges) (r.graph.edges[e] as { nbytes: number }).nbytes += nbytes;
  }

  private move(r: TaskRec, to: Drawn): void {
    const s = r.stage;
    if (r.state === PROCESSING) s.processing--;
    else if (r.state === MEMORY) s.memory--;
    else if (r.state === ERRED) s.erred--;
    r.state = to;
    if (to === PROCESSING) s.processing++;
    else if (to === MEMORY) s.memory++;
    else if (to === ERRED) s.erred++;
  }
}
