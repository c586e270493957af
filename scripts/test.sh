#!/usr/bin/env bash
# Sets up everything the tests need, then runs the whole suite: lint, import contracts, types, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.local/bin:$PATH"
export QT_QPA_PLATFORM=offscreen
run=(uv run --frozen --extra center --group dev)  # the environment setup.sh made
"${run[@]}" ruff check .
"${run[@]}" ruff format --check .
"${run[@]}" lint-imports
"${run[@]}" mypy
"${run[@]}" pytest -q --durations=25 "$@"
