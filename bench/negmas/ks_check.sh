#!/usr/bin/env bash
# Concord's --negmas columns against NegMAS 0.16's own ks_points and kalai_points, on the Genius
# folders given (default: the eight smaller ones of ../shared/genius). Uses bench/.venv (set up by
# run.sh) and a release build (or the binary in $CONCORD). Prints one line per folder and rule;
# exits 1 on a mismatch.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=bench/.venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "negmas==0.16.0" numpy
fi
concord=${CONCORD:-target/release/concord}
[ -n "${CONCORD:-}" ] || cargo build --release --quiet -p concord-cli
if [ $# -eq 0 ]; then
  set -- anac_y2010_EnglandZimbabwe anac_y2010_ItexvsCypress anac_y2011_Car anac_y2012_EnergyB \
    anac_y2012_LaptopC anac_y2015_group2-politics geniusweb_Fitness geniusweb_Party
fi
status=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for name in "$@"; do
  dir=../shared/genius/$name
  "$venv/bin/python" bench/negmas/negmas_ks.py "$dir" 2>/dev/null > "$tmp/negmas.json"
  "$concord" analyze "$dir" --normalization raw --negmas --json --count-limit 0 > "$tmp/concord.json" || true
  python3 - "$name" "$tmp/negmas.json" "$tmp/concord.json" <<'PY' || status=1
import json, sys
name, n, c = sys.argv[1], json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
ids = n["parties"]
ok = True
for s in c["negmas"]["solutions"]:
    ours = sorted(tuple(round(p["utilities"][i], 9) for i in ids) for p in s["points"])
    theirs = sorted(tuple(round(x, 9) for x in p) for p in n[s["negmas_function"]])
    same = ours == theirs
    ok &= same
    print(f"{name:32} {s['negmas_function']:13} {'same' if same else 'DIFFERENT'} {ours[:2]}")
sys.exit(0 if ok else 1)
PY
done
exit $status
