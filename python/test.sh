#!/usr/bin/env bash
# Builds and installs the Python package (python/, the extension crate crates/concord-py) into a
# virtual environment and runs its tests (pytest), then the dashboard's real-browser tests
# (tests/browser: selenium driving Debian's headless Chromium; skipped without it, failed under
# CI=true). The environment is python/.venv, or $CONCORD_VENV. Both compare answers with the
# `concord` binary's, so the binary is built first.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${CONCORD_VENV:-python/.venv}
if [ ! -x "$venv/bin/python" ]; then
    if ! python3 -m venv "$venv"; then
        echo "error: python3 -m venv failed; install Python's venv module (Debian: apt-get install python3-venv)" >&2
        exit 2
    fi
fi
"$venv/bin/python" -m pip install -q --upgrade pip
"$venv/bin/python" -m pip install -q "./python[test]" "selenium>=4.20"
cargo build -q -p concord-cli
# From the repository root, so that `import concord` is the installed package, not python/concord.
"$venv/bin/python" -m pytest -q -p no:cacheprovider --rootdir python python/tests
# The dashboard in a real browser, against a `concord serve` the tests start (docs/dashboard.md).
"$venv/bin/python" -m pytest -q -p no:cacheprovider --rootdir tests/browser tests/browser
