#!/usr/bin/env bash
# Chat with the coach in the terminal: an action server in the background, `rasa shell` in front.
# Uses its own ports, so it also works while `make run` is running.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
ACTION_PORT=${SHELL_ACTION_PORT:-5056}
mkdir -p .state
endpoints=$(mktemp --suffix=.yml)
printf 'action_endpoint:\n  url: "http://localhost:%s/webhook"\ntracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: ".state/shell-tracker.db"\n' "$ACTION_PORT" > "$endpoints"
.venv/bin/python -m actions --port "$ACTION_PORT" > .state/shell-actions.log 2>&1 &
actions=$!
trap 'kill $actions 2>/dev/null; rm -f "$endpoints"' EXIT
if ! wait_http "http://127.0.0.1:$ACTION_PORT/health" 180 "$actions"; then  # slow on a busy 2-core machine
  cat .state/shell-actions.log >&2
  echo "[shell] error: the action server did not start (see above)" >&2
  exit 1
fi
echo "[shell] type what the customer said; /stop to quit"
# `rasa shell` is `rasa run` with Rasa's "cmdline" channel; ours is that channel minus the JSON
# payloads, which the terminal would print in full after every reply (coach/server/channels/shell.py).
# Start-up warnings are quieted as in scripts/run.sh.
.venv/bin/python -m coach.server run --connector coach.server.channels.shell.CoachShellInput \
  --model models/coach.tar.gz --endpoints "$endpoints" --port "${SHELL_PORT:-5006}"
