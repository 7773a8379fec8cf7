"""Sensitivity sweeps on Ray against the local run, on this machine: the speed-up of splitting
the draws into Ray tasks, and what one task costs.

- local: ``Scenario.sensitivity(N)`` in one call (the draws spread over every core by rayon);
- Ray (``ray.init(num_cpus=CPUS)``) with 1, 2 and 4 tasks (each task's draws also spread over
  every core of its machine by rayon);
- the overhead per task: a sweep of 4 draws split into N tasks, against the same sweep run
  locally, divided by N (reading the scenario again in each task and the central analysis on
  the driver are part of it).
Every Ray result is checked equal to the local one (``to_dict()``). The analysis keeps the stated
red lines only (``red_lines="stated"``): on the Kyiv example some draws then have a zone and some
not (with all red lines none has, and each draw stops early).

Usage: python bench/python/sensitivity_ray.py [SAMPLES] [CPUS] [SCENARIO]   (run from the
repository root, the package installed in release mode, with ray)
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
    samples = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    cpus = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    path = sys.argv[3] if len(sys.argv) > 3 else "examples/kyiv-2026.toml"
    s = concord.load(path)
    kw = dict(red_lines="stated")
    ray.init(num_cpus=cpus, include_dashboard=False, log_to_driver=False)
    s.sensitivity(cpus, backend="ray", tasks=cpus, **kw)  # start the workers
    print(f"{path}; cpus: {os.cpu_count()} (Ray given {cpus}); load: {os.getloadavg()[0]:.2f}; median of 3")
    t1, local = timed(3, lambda: s.sensitivity(samples, seed=1, **kw))
    expected = local.to_dict()
    print(f"{samples} draws")
    print(f"{'run':24} {'s':>8} {'speed-up':>9} {'same':>5}")
    print(f"{'local':24} {t1:8.3f} {1.0:9.2f} {'':>5}")
    for tasks in (1, 2, 4):
        t, r = timed(3, lambda: s.sensitivity(samples, seed=1, backend="ray", tasks=tasks, **kw))
        print(f"{f'ray, {tasks} task(s)':24} {t:8.3f} {t1 / t:9.2f} {str(r.to_dict() == expected):>5}")
    tl, _ = timed(5, lambda: s.sensitivity(4, seed=1, **kw))
    for tasks in (2, 4):
        t, _ = timed(5, lambda: s.sensitivity(4, seed=1, backend="ray", tasks=tasks, **kw))
        print(f"overhead per task ({tasks} tasks of a 4-draw sweep): {(t - tl) / tasks * 1000:.1f} ms")
    ray.shutdown()


if __name__ == "__main__":
    main()
