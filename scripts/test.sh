#!/bin/sh
# Install what the tests need (into .venv, plus Debian packages) and run the whole suite with the linters.
set -eu
cd "$(dirname "$0")/.."
sh scripts/system-deps.sh
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
status=0
# on every core (pytest-xdist), a test module to a worker: its module-wide fixtures (demo builds) are made once
.venv/bin/python -m pytest -n auto --dist loadscope "$@" || status=$?
# pytest's 5 means no test ran: that is a failure, never a pass
[ "$status" = 5 ] && echo "no tests ran" >&2
exit "$status"
