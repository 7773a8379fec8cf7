#!/usr/bin/env bash
# Each dashboard view of the Kyiv example in headless Chromium, on a release build: the time
# until the view is drawn and until every part it fetches afterwards has arrived, measured by the
# browser tests (tests/browser) run against a release `concord serve`. Needs the venv that
# python/test.sh makes (or $CONCORD_VENV) and Debian's chromium and chromium-driver.
# Usage: bench/dashboard/browser.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=${CONCORD_VENV:-python/.venv}
cargo build --release -q -p concord-cli
cargo build -q -p concord-cli   # the tests compare with the CLI's answers
tmp=$(mktemp -d)
port=18097
trap 'kill $server 2>/dev/null || true; rm -rf "$tmp"' EXIT
target/release/concord serve --database "$tmp/rooms.db" --listen 127.0.0.1:$port \
    --open examples/kyiv-2026.toml --sources ../shared/reports 2>"$tmp/serve.log" &
server=$!
for _ in $(seq 100); do curl -sf http://127.0.0.1:$port/health >/dev/null && break; sleep 0.1; done
rm -f target/dashboard-timings.tsv
echo "load average $(cut -d' ' -f1 /proc/loadavg)"
CONCORD_DASHBOARD_URL=http://127.0.0.1:$port "$venv/bin/python" -m pytest -q -p no:cacheprovider \
    --rootdir tests/browser tests/browser >"$tmp/pytest.log" 2>&1 || { cat "$tmp/pytest.log"; exit 1; }
printf '%-28s %10s %10s\n' view "drawn (s)" "complete (s)"
awk -F'\t' '{printf "%-28s %10.3f %10.3f\n", $1, $2, $3}' target/dashboard-timings.tsv
