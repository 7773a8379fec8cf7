"""A plain numpy issue-by-issue merge: the same algorithmic idea as Concord's merge, in a few
dozen lines. Reads the Genius folder with NegMAS's loader only to get the utility tables (not
timed separately; the whole process is timed, as for the other peers)."""
import json
import sys

import numpy as np
from negmas.inout import Scenario


def pareto(points):
    """Rows of `points` that no other row dominates (exact comparisons)."""
    order = np.lexsort(tuple(-points[:, j] for j in reversed(range(points.shape[1]))))
    points = points[order]
    if points.shape[1] == 2:
        best = np.maximum.accumulate(points[:, 1])
        keep = np.ones(len(points), bool)
        keep[1:] = points[1:, 1] > best[:-1]
        return np.unique(points[keep], axis=0)
    kept = []
    for p in points:
        if kept:
            k = np.array(kept)
            if np.any(np.all(k >= p, axis=1) & np.any(k > p, axis=1)):
                continue
        kept.append(p)
    return np.unique(np.array(kept), axis=0)


scenario = Scenario.load(sys.argv[1])
ufuns = scenario.ufuns
issues = scenario.outcome_space.issues
front = np.zeros((1, len(ufuns)))
for i, issue in enumerate(issues):
    values = list(issue.all)
    table = np.array([[u.weights[i] * u.values[i](v) for u in ufuns] for v in values])
    front = pareto((front[:, None, :] + table[None, :, :]).reshape(-1, len(ufuns)))
print(json.dumps({"frontier": front.tolist()}))
