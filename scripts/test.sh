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
# The center's tests that take the center_db fixture, again on PostgreSQL (a throwaway cluster of Debian's
# PostgreSQL the tests start under /tmp; docs/center.md, "Database"). Only on a whole run, and beside the main pass
# (its tests mostly wait on servers, so the two together take little longer than the main pass alone), in a
# temporary folder of its own; its report follows the main one.
pg_pid=""
if [ "$#" -eq 0 ]; then
  pg_dir=$(mktemp -d)
  "${run[@]}" pytest -q -p no:cacheprovider --basetemp="$pg_dir/tmp" --center-db=postgresql \
    tests/test_center_api.py tests/test_center_ops.py tests/test_center_ops_rollout.py \
    tests/test_center_appointments.py tests/test_center_cli.py tests/test_sync_engine.py tests/test_hall_center.py \
    tests/test_center_client.py tests/test_alerts.py tests/test_center_rate_limits.py tests/test_fleet_view.py \
    tests/test_history.py tests/test_center_workers.py tests/test_center_rollout_heartbeat.py \
    tests/test_sync_rate_limited.py tests/test_console_mechanism.py tests/test_console_pages.py \
    tests/test_alerts_console.py tests/test_usage_report.py tests/test_usage_console.py \
    >"$pg_dir/report" 2>&1 &
  pg_pid=$!
fi
status=0
"${run[@]}" pytest -q --durations=25 "$@" || status=$?
if [ -n "$pg_pid" ]; then
  pg_status=0
  wait "$pg_pid" || pg_status=$?
  echo "--- the center's tests on PostgreSQL ---"
  cat "$pg_dir/report"
  rm -rf "$pg_dir"
  [ "$pg_status" -eq 0 ] || status=$pg_status
fi
exit "$status"
