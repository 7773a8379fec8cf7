#!/usr/bin/env bash
# Concord against NegMAS 0.16 and a numpy merge, in one run. Sets up its own venv from PyPI.
# Usage: bench/negmas/run.sh [--quick]    (output: the tables; scenarios under bench/out/)
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=bench/.venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "negmas==0.16.0" numpy
fi
cargo build --release --quiet -p concord-cli
exec "$venv/bin/python" bench/negmas/bench.py target/release/concord bench/out "$@"
