#!/usr/bin/env bash
# Sets up everything, then starts the kiosk on the demo catalog. Without a display it renders every screen
# to PNG files instead (the folder is printed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.local/bin:$PATH"
exec uv run --frozen kiosk --data-dir "${KIOSK_DATA_DIR:-$PWD/.demo-data}" --terminal-id "${KIOSK_TERMINAL_ID:-DEMO-0001}" run --demo "$@"
