#!/usr/bin/env bash
# SAO speed, Concord against NegMAS 0.16, in one go on one thread: two Boulware agents on a
# 10^4-outcome domain with no zone (bench/negmas-sim/sao-1e4.toml), 1000 rounds, no agreement.
# Usage: bench/negmas-sim/run.sh [NEGMAS_RUNS] [CONCORD_RUNS]
# Uses NEGMAS_PY if set, else bench/.venv (set up with negmas==0.16.0 from PyPI if missing, shared
# with bench/negmas/run.sh and semantics.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${NEGMAS_PY:-}" ] && [ ! -x bench/.venv/bin/python ]; then
  python3 -m venv bench/.venv
  bench/.venv/bin/pip install --quiet "negmas==0.16.0" numpy
fi
py=${NEGMAS_PY:-bench/.venv/bin/python}
n_negmas=${1:-5}
n_concord=${2:-10000}
cargo build --release --quiet -p concord-cli
bin=target/release/concord
out=$(mktemp -d)
negmas=$(OMP_NUM_THREADS=1 "$py" bench/negmas-sim/negmas_sao.py "$n_negmas")
echo "$negmas"
concord=$("$bin" tournament --scenarios bench/negmas-sim/sao-1e4.toml --strategies boulware \
  --rounds 1000 --repetitions "$n_concord" --threads 1 --out "$out" | head -2 | tr '\n' ' ')
echo "concord (tournament, 1 thread): $concord"
start=$(date +%s.%N)
"$bin" simulate bench/negmas-sim/sao-1e4.toml --default-strategy boulware --rounds 1000 \
  > /dev/null || true  # exit 1: no agreement, as intended
end=$(date +%s.%N)
echo "concord (one simulate process, wall clock incl. start-up and analysis):" \
  "$(python3 -c "print(f'{$end - $start:.4f}')") s"
python3 - "$negmas" "$concord" <<'PY'
import re, sys
negmas = float(re.search(r"mean ([0-9.]+) s", sys.argv[1]).group(1))
figure, unit = re.search(r"([0-9.]+) (s|ms|µs) a negotiation", sys.argv[2]).groups()
concord = float(figure) * {"s": 1.0, "ms": 1e-3, "µs": 1e-6}[unit]
print(f"ratio (NegMAS mean / Concord per negotiation in a tournament): {negmas / concord:.0f}x")
PY
