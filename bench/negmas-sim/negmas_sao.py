"""NegMAS side of the SAO benchmark: the domain of sao-1e4.toml (4 issues x 10 values, opposed
linear preferences, reservation 0.9 each), two AspirationNegotiator(boulware), 1000 steps, no
agreement. Prints the time per negotiation and per step, one thread.

Usage: bench/.venv/bin/python bench/negmas-sim/negmas_sao.py [N]   (N negotiations, default 5)
"""

import sys
import time

from negmas import make_issue, SAOMechanism
from negmas.preferences import LinearAdditiveUtilityFunction as LUF
from negmas.sao import AspirationNegotiator

n = int(sys.argv[1]) if len(sys.argv) > 1 else 5
issues = [make_issue(values=10, name=f"i{i}") for i in range(4)]
times, steps, agreements = [], [], 0
for _ in range(n):
    m = SAOMechanism(issues=issues, n_steps=1000)
    ua = LUF(values=[lambda x: x / 9.0] * 4, weights=[0.25] * 4, outcome_space=m.outcome_space, reserved_value=0.9)
    ub = LUF(values=[lambda x: 1.0 - x / 9.0] * 4, weights=[0.25] * 4, outcome_space=m.outcome_space, reserved_value=0.9)
    m.add(AspirationNegotiator(name="a", aspiration_type="boulware"), ufun=ua)
    m.add(AspirationNegotiator(name="b", aspiration_type="boulware"), ufun=ub)
    t0 = time.perf_counter()
    state = m.run()
    times.append(time.perf_counter() - t0)
    steps.append(state.step)
    agreements += state.agreement is not None
best = min(times)
mean = sum(times) / len(times)
print(f"negmas: {n} negotiations, agreements {agreements}, steps {steps[0]}, "
      f"mean {mean:.4f} s, best {best:.4f} s per negotiation, {steps[0] / mean:.0f} steps/s")
