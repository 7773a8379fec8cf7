"""NegMAS's ks_points and kalai_points on a Genius folder, printed as JSON (for ks_check.sh)."""
import json
import sys

from negmas.inout import Scenario
from negmas.preferences import pareto_frontier
from negmas.preferences.ops import kalai_points, ks_points

scenario = Scenario.load(sys.argv[1])
ufuns = scenario.ufuns
frontier, _ = pareto_frontier(ufuns, issues=scenario.outcome_space.issues, sort_by_welfare=True)
os_ = scenario.outcome_space
print(
    json.dumps(
        {
            "parties": [u.name for u in ufuns],
            "ks_points": [list(map(float, p)) for p, _ in ks_points(ufuns, frontier, outcome_space=os_)],
            "kalai_points": [list(map(float, p)) for p, _ in kalai_points(ufuns, frontier, outcome_space=os_)],
        }
    )
)
