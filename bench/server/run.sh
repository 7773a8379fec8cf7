#!/usr/bin/env bash
# Load on `concord serve` over loopback, on SQLite and on PostgreSQL side by side, with the
# default flags except the per-room limit of revealing questions (raised, so that the load's
# questions are answered rather than refused). Usage: bench/server/run.sh [ROOMS] [SECONDS]
# [THINK_MS] [staggered]: THINK_MS, each client's pause between requests (0, a closed loop that
# saturates the server); `staggered`, clients that start at random moments and pause a random
# time around THINK_MS (the same mean rate, not in step; crates/concord-server/examples/load.rs).
# PostgreSQL: CONCORD_BENCH_POSTGRES (an admin URL), else the local server.
set -euo pipefail
cd "$(dirname "$0")/../.."
rooms=${1:-40}
seconds=${2:-20}
think=${3:-0}
if [ "${4:-}" = staggered ]; then export CONCORD_LOAD_STAGGER=1; fi
cargo build --release -q -p concord-cli
cargo build --release -q -p concord-server --example load
port=18099
tmp=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$tmp"' EXIT
run() {
    local database=$1 label=$2
    target/release/concord serve --database "$database" --listen 127.0.0.1:$port --queries-per-hour 1000000 2>"$tmp/serve.log" &
    server=$!
    for _ in $(seq 100); do curl -sf http://127.0.0.1:$port/health >/dev/null && break; sleep 0.1; done
    echo "== $label"
    target/release/examples/load http://127.0.0.1:$port "$rooms" "$seconds" "$think" examples/kyiv-2026.toml
    kill -INT $server; wait $server || true
}
run "$tmp/rooms.db" "SQLite (WAL, synchronous=FULL)"
admin=${CONCORD_BENCH_POSTGRES:-postgres://root@127.0.0.1:5432/postgres}
db=concord_bench_$$
if psql "$admin" -q -c "CREATE DATABASE $db" 2>/dev/null; then
    run "${admin%/*}/$db" "PostgreSQL"
    psql "$admin" -q -c "DROP DATABASE $db WITH (FORCE)"
else
    echo "== PostgreSQL: no server at $admin, not measured"
fi
