"""Tournaments on Ray against the local run, on this machine: the speed-up of splitting a
tournament of built-in strategies into Ray tasks, and what one task costs.

- local, 1 thread and 2 threads (rayon inside one call);
- Ray (``ray.init(num_cpus=CPUS)``) with 1, 2 and 4 tasks, each task one thread;
- the overhead per task: a tournament of 2 negotiations split into N tasks, against the same
  tournament run locally, divided by N (reading and planning the scenarios again in each task
  is part of it).
Every Ray result is checked equal to the local one.

Usage: python bench/python/ray_speedup.py [REPETITIONS] [CPUS]   (run from the repository root,
the package installed in release mode, with ray)
"""

import os
import statistics
import sys
import time

import ray

import concord


def timed(runs, f):
    times, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = f()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def main() -> None:
    repetitions = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    cpus = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    root = os.path.join(os.path.dirname(__file__), "..", "..")
    genius = os.path.join(root, "..", "shared", "genius")
    scenarios = [concord.load(os.path.join(genius, n)) for n in ("anac_y2010_ItexvsCypress", "anac_y2010_EnglandZimbabwe", "anac_y2012_LaptopC")]
    strategies = ["boulware", "conceder", "linear", "tit-for-tat", "random"]
    kw = dict(rounds=200, repetitions=repetitions, seed=1)
    ray.init(num_cpus=cpus, include_dashboard=False, log_to_driver=False)
    concord.tournament(scenarios, strategies, backend="ray", tasks=cpus, rounds=10, repetitions=1)  # start the workers
    print(f"cpus: {os.cpu_count()} (Ray given {cpus}); load: {os.getloadavg()[0]:.2f}; median of 3")
    t1, local = timed(3, lambda: concord.tournament(scenarios, strategies, threads=1, **kw))
    n = len(local.negotiations)
    print(f"{n} negotiations, 200 rounds")
    print(f"{'run':24} {'s':>8} {'speed-up':>9} {'same':>5}")
    print(f"{'local, 1 thread':24} {t1:8.3f} {1.0:9.2f} {'':>5}")
    t2, r = timed(3, lambda: concord.tournament(scenarios, strategies, threads=2, **kw))
    print(f"{'local, 2 threads':24} {t2:8.3f} {t1 / t2:9.2f} {str(r.negotiations.equals(local.negotiations)):>5}")
    for tasks in (1, 2, 4):
        t, r = timed(3, lambda: concord.tournament(scenarios, strategies, backend="ray", tasks=tasks, **kw))
        same = r.negotiations.equals(local.negotiations) and r.summary.equals(local.summary)
        print(f"{f'ray, {tasks} task(s)':24} {t:8.3f} {t1 / t:9.2f} {str(same):>5}")
    tiny = dict(rounds=10, repetitions=1, seed=1)
    one = [scenarios[0]]
    two = ["boulware", "conceder"]
    tl, _ = timed(5, lambda: concord.tournament(one, two, threads=1, **tiny))
    for tasks in (2, 4):
        t, _ = timed(5, lambda: concord.tournament(one, two, backend="ray", tasks=tasks, **tiny))
        print(f"overhead per task ({tasks} tasks of a 4-negotiation tournament): {(t - tl) / tasks * 1000:.1f} ms")
    ray.shutdown()


if __name__ == "__main__":
    main()
