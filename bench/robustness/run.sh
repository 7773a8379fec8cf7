#!/usr/bin/env bash
# Times `concord evidence extract`, `concord evidence conflicts` and `concord sequence` as whole
# processes on generated inputs that grow: folders of synthetic reports (gen_reports.py) and
# cycles of gap demands between splittable steps (gen_cycle.py). Prints wall-clock seconds,
# user CPU seconds and peak memory of each run, one run each; results in bench/RESULTS.md.
#
#   bench/robustness/run.sh                      the release build of this checkout
#   BEFORE=/path/to/old/concord bench/robustness/run.sh   the same runs with another binary too
#
# REPORTS   sizes of report folders, REPORTSxCLAIMS (default "10x100 20x100 30x150 50x200"; "" for none)
# CYCLES    step counts of the cycles (default "10 14 20 30"; "" for none)
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release -q -p concord-cli
after=target/release/concord
reports=${REPORTS-10x100 20x100 30x150 50x200}
cycles=${CYCLES-10 14 20 30}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "machine: $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg); $(git rev-parse --short HEAD)"
# One timed run: label, then the command; prints wall, user CPU and peak RSS.
timed() {
    local label=$1
    shift
    local code=0
    /usr/bin/time -f "%e %U %M" -o "$work/time" "$@" >"$work/out" 2>"$work/err" || code=$?
    read -r wall user rss < <(tail -n 1 "$work/time")
    printf '%-34s %8s %8s %9.1f  exit %s\n' "$label" "$wall" "$user" "$(echo "$rss / 1024" | bc -l)" "$code"
}
printf '%-34s %8s %8s %9s\n' "run" "wall s" "user s" "peak MiB"
for size in $reports; do
    n=${size%x*}
    m=${size#*x}
    dir="$work/reports-$size"
    python3 bench/robustness/gen_reports.py "$dir" "$n" "$m"
    for bin in ${BEFORE:+before} after; do
        exe=$after
        if [ "$bin" = before ]; then exe=$BEFORE; fi
        timed "$size extract ($bin)" "$exe" evidence extract "$dir" --max-report-bytes 100000000
        timed "$size conflicts ($bin)" "$exe" evidence conflicts "$dir" --max-report-bytes 100000000
        cp "$work/out" "$work/conflicts-$size-$bin.txt"
    done
done
for n in $cycles; do
    python3 bench/robustness/gen_cycle.py "$n" >"$work/cycle-$n.toml"
    for bin in ${BEFORE:+before} after; do
        exe=$after
        if [ "$bin" = before ]; then exe=$BEFORE; fi
        timed "sequence, $n-step cycle ($bin)" "$exe" sequence "$work/cycle-$n.toml"
        if grep -q "no way out" "$work/err"; then echo "    (no way out: the search reached its node limit)"; fi
        cp "$work/out" "$work/sequence-$n-$bin.txt"
    done
    if [ -n "${BEFORE:-}" ]; then
        if cmp -s "$work/sequence-$n-before.txt" "$work/sequence-$n-after.txt"; then
            echo "    (the same report from both binaries)"
        else
            echo "    (the reports differ)"
        fi
    fi
done
