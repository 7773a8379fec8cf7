# %% [markdown]
# # Concord from Python, notebook-style
#
# Each `# %%` block is a notebook cell (Jupyter, VS Code and Spyder run them one by one); the
# whole file also runs as a script, and python/tests/test_plot.py runs it. Pictures go to
# `$CONCORD_EXAMPLE_OUT` (default: the current folder).

# %%
import itertools
import os
from pathlib import Path

import matplotlib

matplotlib.use(os.environ.get("MPLBACKEND", "Agg"))

import concord

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(os.environ.get("CONCORD_EXAMPLE_OUT", "."))

# %% [markdown]
# ## Is there a zone of agreement?

# %%
s = concord.load(ROOT / "examples" / "water-sharing.toml")
a = s.analyze()
print(a.zone_exists, a.zone_size)
print(a.frontier_df())
nash = a.solutions["nash"]["points"][0]
print("Nash:", nash["utilities"], nash["packages"][0]["options"])

# %%
ax = a.plot()
ax.figure.savefig(OUT / "frontier.png")

# %% [markdown]
# ## A strategy written in Python
#
# It sees only its own utility function (`state.utility`), its reservation value, the clock and
# the offers made. This one is Boulware: it asks for a share that falls from its best towards
# its reservation value as t⁴, and accepts an offer worth at least what it would ask next.


# %%
class PyBoulware:
    name = "py-boulware"

    def __init__(self):
        self.packages = None

    def ask(self, state):
        if self.packages is None:
            ids = [issue for issue, _ in state.issues]
            every = (dict(zip(ids, c)) for c in itertools.product(*[o for _, o in state.issues]))
            self.packages = [(state.utility(p), k, p) for k, p in enumerate(every) if state.allows(p)]
            self.best = max(u for u, _, _ in self.packages)
        r, t = state.reservation, state.time
        target = r + (self.best - r) * (1 - (t * t) * (t * t))
        fit = [x for x in self.packages if x[0] >= target]
        return min(fit)[2] if fit else None

    def propose(self, state):
        return self.ask(state)

    def respond(self, state, offer):
        u = state.utility(offer)
        if u < state.reservation or not state.allows(offer):
            return False
        planned = self.ask(state)
        return planned is None or u >= state.utility(planned)


# %%
trace = s.simulate({"upstream": PyBoulware, "downstream": "conceder"}, rounds=50)
print(trace.end, trace.agreement, trace.utilities)
print(trace.df().tail())
ax = trace.plot()
ax.figure.savefig(OUT / "negotiation.png")

# %% [markdown]
# ## A tournament: Python and built-in strategies side by side

# %%
result = concord.tournament(
    [s, ROOT / "examples" / "water-sharing.toml"],
    [PyBoulware, "boulware", "conceder", "tit-for-tat"],
    rounds=50,
    repetitions=2,
)
print(result.summary[["strategy", "seats", "agreement_rate", "mean_utility"]].to_string())
