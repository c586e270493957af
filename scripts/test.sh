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
# The center's tests that take the center_db fixture, again on PostgreSQL (a throwaway cluster of Debian's
# PostgreSQL the tests start under /tmp; docs/center.md, "Database"). Only on a whole run.
if [ "$#" -eq 0 ]; then
  "${run[@]}" pytest -q --center-db=postgresql \
    tests/test_center_api.py tests/test_center_ops.py tests/test_center_ops_rollout.py \
    tests/test_center_appointments.py tests/test_center_cli.py tests/test_sync_engine.py tests/test_hall_center.py \
    tests/test_center_client.py tests/test_alerts.py tests/test_center_rate_limits.py tests/test_fleet_view.py \
    tests/test_history.py tests/test_center_workers.py tests/test_center_rollout_heartbeat.py \
    tests/test_sync_rate_limited.py tests/test_console_mechanism.py tests/test_console_pages.py \
    tests/test_alerts_console.py tests/test_usage_report.py tests/test_usage_console.py
fi
