// Per job, its task graph folded into plan stages: task counts by state, result bytes, and bytes flowing between stages.
import type { GraphSubmitted, StageProgress } from "@tessera/protocol";
import type { EdgeStatus, JobGraphStatus, JobState, StageStatus } from "./status-types.js";
import type { ObservedTask } from "../state/scheduler-state.js";

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

/** A task's record in one job's graph. */
export interface TaskRec {
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
  /** Records of a job that is no longer running are let go of as their tasks are next touched. */
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

/** A task's records: one when a single running job has the key (the common case), else one per job. */
export type JobGraphRecords = TaskRec | TaskRec[];

/** Where a task's records are kept (the recorder's TaskView). */
export interface RecordHolder {
  records: JobGraphRecords | null;
}

function live(r: TaskRec): boolean {
  return r.graph.state === "running";
}

function jobKeyOf(clientId: string, jobId: string): string {
  return `${clientId}\u0000${jobId}`;
}

/**
 * Builds each job's stage view from what the scheduler receives and sends (graph-submitted, compute-task,
 * task-finished, task-erred): it never changes what is sent. Running jobs and the last `history` finished ones are kept.
 * A task's records live in its TaskView (on the scheduler's own task record), so they need no index by key.
 */
export class JobGraphs {
  private readonly running = new Map<string, JobGraph>();
  private readonly past: JobGraph[] = [];

  constructor(private readonly history = 20) {}

  /**
   * A graph was submitted: `slots` are its tasks in the state machine by graph position (SchedulerState.intakeSlots;
   * null when it was not taken in), and `holderIn` gives the holder of a task's records in its slot. A task without
   * a slot gets no record, but counts in its stage's total.
   */
  submitted(
    m: GraphSubmitted, time: number, slots: readonly (ObservedTask | undefined)[] | null, holderIn: (slot: ObservedTask) => RecordHolder,
  ): void {
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
    const specs = m.graph.tasks;
    const recs: TaskRec[] = new Array(specs.length);
    for (let i = 0; i < specs.length; i++) {
      const t = specs[i] as (typeof specs)[number];
      const s = stage(t.label?.name ?? t.op, t.op);
      s.total++;
      const rec: TaskRec = { graph: g, stage: s, state: WAITING, done: false, edges: null };
      recs[i] = rec;
      const slot = slots?.[i];
      if (slot === undefined) continue;
      const v = holderIn(slot);
      const had = v.records;
      if (had === null) v.records = rec;
      else if (!Array.isArray(had)) v.records = live(had) ? [had, rec] : rec;
      else {
        const kept = had.filter(live);
        kept.push(rec);
        v.records = kept.length === 1 ? rec : kept;
      }
    }
    // With one stage no dependency crosses stages: there are no edges to find.
    if (g.stages.length > 1) this.addEdges(g, specs, recs);
    this.running.set(k, g);
  }

  /**
   * The edges between stages that `specs`' dependencies cross, and on each dependency's record the edges it feeds.
   * Inputs from outside the graph (results of earlier jobs) cross no edge of this job.
   */
  private addEdges(g: JobGraph, specs: GraphSubmitted["graph"]["tasks"], recs: readonly TaskRec[]): void {
    const position = new Map<string, number>();
    for (let i = 0; i < specs.length; i++) position.set((specs[i] as (typeof specs)[number]).key, i);
    const edgeIndex = new Map<string, number>();
    for (let i = 0; i < specs.length; i++) {
      const to = (recs[i] as TaskRec).stage;
      for (const dep of (specs[i] as (typeof specs)[number]).deps) {
        const at = position.get(dep);
        const rec = at === undefined ? undefined : recs[at];
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

  /** A compute-task went out for the task whose records `v` holds. */
  sent(v: RecordHolder): void {
    this.update(v, PROCESSING, 0);
  }

  /** The task's result is held (`nbytes`): counted once per task as done, and as bytes along its stage's edges. */
  finished(v: RecordHolder, nbytes: number): void {
    this.update(v, MEMORY, nbytes);
  }

  erred(v: RecordHolder): void {
    this.update(v, ERRED, 0);
  }

  /** Moves the task's records in running jobs to `to` (MEMORY: finished with `nbytes`); a lone ended one is dropped. */
  private update(v: RecordHolder, to: Drawn, nbytes: number): void {
    const had = v.records;
    if (had === null) return;
    if (!Array.isArray(had)) {
      if (live(had)) this.apply(had, to, nbytes);
      else v.records = null;
    } else for (const r of had) if (live(r)) this.apply(r, to, nbytes);
  }

  private apply(r: TaskRec, to: Drawn, nbytes: number): void {
    if (to === MEMORY) this.finish(r, nbytes);
    else this.move(r, to);
  }

  /**
   * The job ended (done, erred or cancelled): kept among the last finished ones. Its tasks' records stop counting at
   * once and are dropped as the tasks are next touched, or with the tasks when the scheduler forgets them.
   */
  ended(clientId: string, jobId: string, state: Exclude<JobState, "running">, time: number): void {
    const k = jobKeyOf(clientId, jobId);
    const g = this.running.get(k);
    if (g === undefined) return;
    this.running.delete(k);
    g.state = state;
    g.finishedAt = time;
    this.past.push(g);
    if (this.past.length > this.history) this.past.shift();
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
