#!/bin/sh
# Install what the program needs (into .venv) and start it. Extra arguments go to `wudu`.
set -eu
cd "$(dirname "$0")/.."
sh scripts/system-deps.sh --runtime
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e .
exec .venv/bin/wudu "$@"
