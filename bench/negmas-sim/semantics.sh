#!/usr/bin/env bash
# Concord's simulation semantics against NegMAS 0.16, outcome by outcome, on the two-party
# Genius scenarios of ../shared/genius (bench/negmas-sim/compare.py says what is compared).
# Sets up bench/.venv with negmas==0.16.0 from PyPI if missing (shared with bench/negmas/run.sh).
# Usage: bench/negmas-sim/semantics.sh [compare.py options, e.g. --rounds 20 100 --random-runs 200]
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=bench/.venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "negmas==0.16.0" numpy
fi
cargo build --release --quiet -p concord-cli
exec "$venv/bin/python" bench/negmas-sim/compare.py target/release/concord "$@"
