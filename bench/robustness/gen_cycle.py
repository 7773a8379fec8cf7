#!/usr/bin/env python3
"""Writes a sequence file whose steps form one cycle of "before, with a gap" demands.

    gen_cycle.py STEPS > cycle.toml

STEPS steps of 4 days, each splittable in half, and one hard demand per step: step k is done
at least 1 day before step k+1 starts, the last before the first. The cycle deadlocks; every
step is a split candidate, so the search for the cheapest way out branches over every split and
re-attachment (docs/limits.md, sequencing).
"""
import sys

n = int(sys.argv[1])
print('[about]\nid = "cycle"\ntitle = "A cycle of gaps"\n')
print('[[parties]]\nid = "a"\nname = "A"\nrole = "party"\n')
print('[[parties]]\nid = "b"\nname = "B"\nrole = "party"\n')
for k in range(n):
    print(f'[[steps]]\nid = "s{k}"\nname = "Step {k}"\nparties = ["a", "b"]\nduration = 4\n'
          f'split = 0.5\nbasis = "assumed"\n')
for k in range(n):
    print(f'[[demands]]\nid = "d{k}"\nparty = "{"ab"[k % 2]}"\nfirst = "s{k}"\nthen = "s{(k + 1) % n}"\n'
          f'min_gap = 1\nbasis = "assumed"\n')
