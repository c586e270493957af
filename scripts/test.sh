#!/usr/bin/env bash
# Sets up everything the tests need, then runs the whole suite: lint, import contracts, types, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.local/bin:$PATH"
export QT_QPA_PLATFORM=offscreen
uv run --frozen ruff check .
uv run --frozen ruff format --check .
uv run --frozen lint-imports
uv run --frozen mypy
uv run --frozen pytest -q "$@"
