#!/usr/bin/env bash
# Builds and installs the Python package (python/, the extension crate crates/concord-py) into a
# virtual environment and runs its tests (pytest). The environment is python/.venv, or
# $CONCORD_VENV. The tests compare the package's answers with the `concord` binary's, so the
# binary is built first.
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
"$venv/bin/python" -m pip install -q "./python[test]"
cargo build -q -p concord-cli
# From the repository root, so that `import concord` is the installed package, not python/concord.
"$venv/bin/python" -m pytest -q -p no:cacheprovider --rootdir python python/tests
