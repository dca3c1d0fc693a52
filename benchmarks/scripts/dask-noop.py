"""No-op task throughput of Dask distributed's scheduler, for Tessera's scheduler suite (run by /usr/bin/python3).

Usage: dask-noop.py --tasks N --processes 0|1 --runs R
After a warm-up (two 1,000-task graphs), the graph is timed R times. It has the same shape as the Tessera one: groups of 100 tasks, 99 independent no-op leaves and one no-op
sink that depends on them; the client asks for the sinks. Prints one JSON object on stdout.
"""
import argparse
import json
import logging
import sys
import time
import uuid


def noop(*args):
    return None


def graph(n, group=100):
    # A fresh token per graph: resubmitting keys that are still being released makes distributed stall.
    # key_split() drops the hex token, so every graph's tasks share the prefixes "leaf" and "sink".
    token = uuid.uuid4().hex
    dsk = {}
    sinks = []
    for g in range(n // group):
        leaves = []
        for i in range(group - 1):
            k = ("leaf-" + token, g, i)
            dsk[k] = (noop,)
            leaves.append(k)
        s = ("sink-" + token, g)
        dsk[s] = (noop,) + tuple(leaves)
        sinks.append(s)
    return dsk, sinks


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", type=int, required=True)
    ap.add_argument("--processes", type=int, default=0)
    ap.add_argument("--runs", type=int, default=2)
    a = ap.parse_args()
    try:
        import dask
        import distributed
        from distributed import Client, LocalCluster
    except ImportError as e:
        print(json.dumps({"available": False, "error": str(e)}))
        return 0
    logging.getLogger("distributed").setLevel(logging.ERROR)
    processes = bool(a.processes)
    kwargs = dict(n_workers=2, threads_per_worker=1) if processes else dict(n_workers=1, threads_per_worker=2)
    with LocalCluster(processes=processes, dashboard_address=None, silence_logs=logging.ERROR, **kwargs) as cluster, Client(cluster) as client:
        # Warm-up: two 1,000-task graphs of the same shape, so the scheduler knows the task prefixes' durations.
        for _ in range(2):
            warm, warm_keys = graph(1000)
            client.get(warm, warm_keys)
        runs = []
        for _ in range(a.runs):
            dsk, keys = graph(a.tasks)
            t0 = time.perf_counter()
            client.get(dsk, keys)
            runs.append(time.perf_counter() - t0)
    print(json.dumps({
        "available": True, "dask": dask.__version__, "distributed": distributed.__version__,
        "python": sys.version.split()[0], "processes": processes, "workers": kwargs["n_workers"],
        "threads_per_worker": kwargs["threads_per_worker"], "tasks": a.tasks, "seconds": runs,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
