"""NegMAS peer: load a Genius folder, compute the Pareto frontier and the Nash points, print JSON.

Run as a whole process by bench.py, so its time includes Python and NegMAS start-up, as
Concord's includes its own.
"""
import json
import sys

from negmas.inout import Scenario
from negmas.preferences import nash_points, pareto_frontier

scenario = Scenario.load(sys.argv[1])
ufuns = scenario.ufuns
frontier, _ = pareto_frontier(ufuns, issues=scenario.outcome_space.issues, sort_by_welfare=True)
nash = nash_points(ufuns, frontier, outcome_space=scenario.outcome_space)
print(
    json.dumps(
        {
            "parties": [u.name for u in ufuns],
            "reserved": [u.reserved_value for u in ufuns],
            "frontier": [list(map(float, p)) for p in frontier],
            "nash": [list(map(float, p)) for p, _ in nash],
        }
    )
)
