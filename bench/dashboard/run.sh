#!/usr/bin/env bash
# What each dashboard view asks the server for, timed on loopback with the default flags: the
# Kyiv example, and a generated two-party scenario whose 100,000 packages all lie on the pair's
# frontier (5 issues of 10 options, opposed values), beside the `concord` command
# answering the same question as a whole process. Usage: bench/dashboard/run.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}
cargo build --release -q -p concord-cli
tmp=$(mktemp -d)
port=18098
trap 'kill $server 2>/dev/null || true; rm -rf "$tmp"' EXIT
python3 - "$tmp/wide.toml" <<'PY'
import sys
out = ['[scenario]\nid = "wide"\ntitle = "Two parties, 100,000 packages, all on their frontier"\n']
for p in ("a", "b"):
    out.append(f'[[parties]]\nid = "{p}"\nname = "{p.upper()}"\nrole = "party"\n')
# Weights of decreasing decimal places: every package has its own pair of utilities.
weights = [0.9, 0.09, 0.009, 0.0009, 0.0001]
for i in range(5):
    opts = ", ".join(f'"o{o}"' for o in range(10))
    out.append(f'[[issues]]\nid = "i{i}"\nname = "Issue {i}"\noptions = [{opts}]\n')
for p in ("a", "b"):
    out.append(f'[preferences.{p}]\nreservation = 0.1\n')
    for i, w in enumerate(weights):
        vals = ", ".join(f"o{o} = {(o if p == 'a' else 9 - o) / 9:.6f}" for o in range(10))
        out.append(f'[preferences.{p}.issues.i{i}]\nweight = {w}\nvalues = {{ {vals} }}\n')
open(sys.argv[1], "w").write("".join(out))
PY
target/release/concord serve --database "$tmp/rooms.db" --listen 127.0.0.1:$port \
    --open examples/kyiv-2026.toml --open "$tmp/wide.toml" --sources ../shared/reports 2>"$tmp/serve.log" &
server=$!
for _ in $(seq 100); do curl -sf http://127.0.0.1:$port/health >/dev/null && break; sleep 0.1; done
time_get() { # label, method, path, [body]
    local label=$1 method=$2 path=$3 body=${4:-}
    local times=() size=0
    for _ in $(seq "$runs"); do
        if [ -n "$body" ]; then
            out=$(curl -s -o "$tmp/out" -w '%{time_total} %{size_download} %{http_code}' -X "$method" \
                -H 'content-type: application/json' -d "$body" "http://127.0.0.1:$port$path")
        else
            out=$(curl -s -o "$tmp/out" -w '%{time_total} %{size_download} %{http_code}' "http://127.0.0.1:$port$path")
        fi
        read -r t size code <<<"$out"
        [ "$code" = 200 ] || { echo "$label: HTTP $code: $(head -c 300 "$tmp/out")"; exit 1; }
        times+=("$t")
    done
    printf '%-44s median %6.0f ms  max %6.0f ms  %8d bytes\n' "$label" \
        "$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]*1000}')" \
        "$(printf '%s\n' "${times[@]}" | sort -n | tail -1 | awk '{print $1*1000}')" "$size"
}
time_cmd() { # label, command...
    local label=$1; shift
    local times=()
    for _ in $(seq "$runs"); do
        s=$(date +%s.%N); "$@" >/dev/null || true; e=$(date +%s.%N)
        times+=("$(echo "$e - $s" | bc)")
    done
    printf '%-44s median %6.0f ms  max %6.0f ms\n' "$label" \
        "$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]*1000}')" \
        "$(printf '%s\n' "${times[@]}" | sort -n | tail -1 | awk '{print $1*1000}')"
}
echo "== Kyiv example ($runs runs each; load average $(cut -d' ' -f1 /proc/loadavg))"
time_get "GET / (the page)" GET /
time_get "GET /dashboard/app.js" GET /dashboard/app.js
time_get "analysis (red lines all)" GET "/analyst/scenarios/kyiv-2026/analysis"
time_get "analysis (red lines stated)" GET "/analyst/scenarios/kyiv-2026/analysis?red_lines=stated"
time_get "analysis + 200 sensitivity draws" GET "/analyst/scenarios/kyiv-2026/analysis?samples=200"
time_get "space ukraine × russia" GET "/analyst/scenarios/kyiv-2026/space?x=ukraine&y=russia"
time_get "sequence" GET "/analyst/scenarios/kyiv-2026/sequence"
time_get "claims" GET "/analyst/scenarios/kyiv-2026/claims"
time_get "conflicts (first answer computes, then kept)" GET "/analyst/scenarios/kyiv-2026/conflicts"
time_get "simulate boulware, 100 rounds" POST "/analyst/scenarios/kyiv-2026/simulate" '{"default_strategy":"boulware"}'
echo "-- peer: the concord command, whole process, same questions"
time_cmd "concord analyze --json" target/release/concord analyze examples/kyiv-2026.toml --json
time_cmd "concord sequence --json" target/release/concord sequence examples/kyiv-2026.toml --json
time_cmd "concord evidence conflicts --json" target/release/concord evidence conflicts ../shared/reports --scenario examples/kyiv-2026.toml --json
echo "== 100,000 packages, every one on the two parties' frontier"
time_get "analysis" GET "/analyst/scenarios/wide/analysis"
time_get "space a × b (frontier downsampled)" GET "/analyst/scenarios/wide/space?x=a&y=b"
curl -s "http://127.0.0.1:$port/analyst/scenarios/wide/space?x=a&y=b" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print("  frontier size", d["frontier"]["size"], "shown", d["frontier"]["shown"], "cells", len(d["cells"]))
for n in d["notes"]: print("  note:", n)'
echo "-- peer"
time_cmd "concord analyze --json" target/release/concord analyze "$tmp/wide.toml" --json
