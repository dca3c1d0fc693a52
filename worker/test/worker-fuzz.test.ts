// Worker state machine under random stimuli (validate mode): the store always matches the keys in memory.
import { mulberry32 } from "@tessera/common";
import { describe, expect, it } from "vitest";
import type { WorkerInstruction } from "@tessera/worker";
import { WDriver, computeTask } from "./worker-driver.js";

/** A small deterministic PRNG, so a failing seed can be replayed. */
const rng = mulberry32;

const KEYS = Array.from({ length: 12 }, (_, i) => `k${i}`);
const PEERS = ["w2", "w3", "w4"];

/** What the shell would do with the instructions: the store's keys, running executions and gathers. */
class Shell {
  readonly store = new Set<string>();
  readonly executing = new Set<string>();
  readonly gathers: { from: string; keys: readonly string[] }[] = [];

  apply(out: readonly WorkerInstruction[]): void {
    for (const i of out) {
      if (i.op === "execute") this.executing.add(i.key);
      else if (i.op === "gather-dep") this.gathers.push({ from: i.from, keys: i.keys });
      else if (i.op === "free-data") for (const k of i.keys) this.store.delete(k);
    }
  }
}

function step(r: () => number, d: WDriver, sh: Shell, runIds: { n: number }, allowNew: boolean): void {
  const x = r();
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  if (allowNew && x < 0.3) {
    const i = Math.floor(r() * KEYS.length);
    const deps: [string, string[]][] = KEYS.slice(0, i).filter(() => r() < 0.25).map((k) => [k, PEERS.filter(() => r() < 0.5)]);
    sh.apply(d.send(computeTask(KEYS[i] as string, ++runIds.n, deps.map(([k, w]) => [k, w.length > 0 ? w : ["w2"]]), i)));
  } else if (allowNew && x < 0.4) {
    sh.apply(d.send({ op: "free-keys", workerId: "w1", keys: KEYS.filter(() => r() < 0.2) }));
  } else if (allowNew && x < 0.45) {
    sh.apply(d.send({ op: "steal-request", workerId: "w1", key: pick(KEYS), runId: Math.max(1, runIds.n - Math.floor(r() * 3)) }));
  } else if (x < 0.48) {
    // Paused only while new work may come; the drain phases must be able to run everything.
    sh.apply(d.send({ op: "memory-state", paused: allowNew && r() < 0.5, memory: 0, spilled: 0 }));
  } else if (x < 0.7 && sh.executing.size > 0) {
    const key = pick([...sh.executing]);
    sh.executing.delete(key);
    if (r() < 0.85) {
      sh.store.add(key);
      sh.apply(d.send({ op: "execute-success", key, nbytes: 8 }));
    } else {
      const error = { name: "ExecutionError", code: "FUZZ", category: "execution" as const, message: "fuzz" };
      sh.apply(d.send({ op: "execute-failure", key, error }));
    }
  } else if (sh.gathers.length > 0) {
    const g = sh.gathers.splice(Math.floor(r() * sh.gathers.length), 1)[0] as Shell["gathers"][number];
    if (r() < 0.15) {
      const error = { name: "IoError", code: "PEER_UNREACHABLE", category: "io" as const, message: "gone" };
      sh.apply(d.send({ op: "gather-dep-failure", from: g.from, keys: g.keys, error }));
    } else {
      const got = g.keys.filter(() => r() < 0.8);
      for (const k of got) sh.store.add(k);
      sh.apply(d.send({ op: "gather-dep-success", from: g.from, data: got.map((key) => ({ key, nbytes: 8 })), missing: g.keys.filter((k) => !got.includes(k)) }));
    }
  }
  for (const k of KEYS) {
    if ((d.state.taskState(k) === "memory") !== sh.store.has(k)) throw new Error(`${k} is ${d.state.taskState(k)} but the store ${sh.store.has(k) ? "holds" : "lacks"} it`);
  }
}

describe("WorkerState under random stimuli", () => {
  it("keeps its invariants, keeps the store equal to the keys in memory, and frees everything (200 seeds)", () => {
    for (let seed = 1; seed <= 200; seed++) {
      const r = rng(seed);
      const d = new WDriver(1 + Math.floor(r() * 3));
      const sh = new Shell();
      const runIds = { n: 0 };
      try {
        for (let i = 0; i < 150; i++) step(r, d, sh, runIds, true);
        for (let i = 0; i < 1000 && (sh.executing.size > 0 || sh.gathers.length > 0); i++) step(r, d, sh, runIds, false);
        sh.apply(d.send({ op: "free-keys", workerId: "w1", keys: KEYS }));
        for (let i = 0; i < 1000 && (sh.executing.size > 0 || sh.gathers.length > 0); i++) step(r, d, sh, runIds, false);
        expect([d.state.taskCount, sh.store.size]).toEqual([0, 0]);
      } catch (e) {
        throw new Error(`seed ${seed}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
    }
  });
});
