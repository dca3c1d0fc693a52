// A bounded log of state transitions, so story(key) can replay a task's history on scheduler and worker alike.

/** One transition: the task, its start and finish states, the stimulus that caused it and when. */
export type StoryEntry = readonly [key: string, start: string, finish: string, stimulusId: string, time: number];

/**
 * A ring buffer of the most recent `capacity` transitions; old entries are dropped first. Stored as columns so
 * recording allocates nothing (it runs several times per task).
 */
export class StoryLog {
  private readonly keys: string[] = [];
  private readonly starts: string[] = [];
  private readonly finishes: string[] = [];
  private readonly stimuli: string[] = [];
  private readonly times: number[] = [];
  private next = 0;
  private count = 0;

  constructor(readonly capacity = 100_000) {}

  record(key: string, start: string, finish: string, stimulusId: string, time: number): void {
    if (this.capacity <= 0) return;
    const i = this.next;
    this.keys[i] = key;
    this.starts[i] = start;
    this.finishes[i] = finish;
    this.stimuli[i] = stimulusId;
    this.times[i] = time;
    this.next = i + 1 === this.capacity ? 0 : i + 1;
    if (this.count < this.capacity) this.count++;
  }

  /** All retained transitions of the given keys, oldest first. */
  story(...keys: string[]): StoryEntry[] {
    const wanted = new Set(keys);
    return this.select((i) => wanted.has(this.keys[i] as string));
  }

  /** Every retained transition, oldest first. */
  all(): StoryEntry[] {
    return this.select(() => true);
  }

  /** All retained transitions caused by one stimulus, oldest first. */
  byStimulus(stimulusId: string): StoryEntry[] {
    return this.select((i) => this.stimuli[i] === stimulusId);
  }

  private select(match: (i: number) => boolean): StoryEntry[] {
    const out: StoryEntry[] = [];
    const first = this.count < this.capacity ? 0 : this.next;
    for (let n = 0; n < this.count; n++) {
      const i = (first + n) % this.capacity;
      if (match(i)) out.push([this.keys[i] as string, this.starts[i] as string, this.finishes[i] as string, this.stimuli[i] as string, this.times[i] as number]);
    }
    return out;
  }
}
