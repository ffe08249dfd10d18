#!/usr/bin/env bash
# Start the action server and the Rasa server; Ctrl-C stops both.
set -uo pipefail
cd "$(dirname "$0")/.."
RASA_PORT=${1:-5005}
ACTION_PORT=${2:-5055}
# endpoints.yml reads both: the Rasa server calls the action server on the port started here.
export ACTION_PORT
export COACH_TRACKER_DB=${COACH_TRACKER_DB:-.state/tracker.db}
# As `make run` has it: no telemetry (there is no network here).
export RASA_TELEMETRY_ENABLED=${RASA_TELEMETRY_ENABLED:-false}
# Tests point this at their own file so they never touch a developer's conversations.
ENDPOINTS=${COACH_ENDPOINTS:-endpoints.yml}
mkdir -p .state

pids=()
cleanup() {
  trap - INT TERM EXIT
  [ ${#pids[@]} -gt 0 ] || return 0
  echo; echo "[run] stopping"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
}
trap cleanup EXIT
trap 'cleanup; exit 0' INT TERM  # Ctrl-C is the normal way to stop: not an error

source scripts/lib.sh

for port in "$RASA_PORT" "$ACTION_PORT"; do
  if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
    echo "[run] error: port $port is already in use (another coach running?). Stop it or set RASA_PORT/ACTION_PORT." >&2
    exit 1
  fi
done

echo "[run] starting the action server on :$ACTION_PORT"
.venv/bin/python -m actions --port "$ACTION_PORT" &
pids+=($!)
if ! wait_http "http://127.0.0.1:$ACTION_PORT/health" 180 "${pids[0]}"; then
  echo "[run] error: the action server did not start (see above)" >&2
  exit 1
fi

echo "[run] starting the Rasa server on :$RASA_PORT (loading the model takes ~20s)"
# `rasa run`, through coach/server/__main__.py: it quiets the dependencies' deprecation warnings
# before the Rasa CLI imports them (coach/server/logs.py).
.venv/bin/python -m coach.server run --model models/coach.tar.gz --port "$RASA_PORT" \
  --endpoints "$ENDPOINTS" --credentials credentials.yml &
pids+=($!)
if ! wait_http "http://127.0.0.1:$RASA_PORT/" 180 "${pids[1]}"; then
  echo "[run] error: the Rasa server did not start (see above)" >&2
  exit 1
fi

cat <<MSG

[run] Objection Coach is up.
  Chat:  http://localhost:$RASA_PORT/webhooks/coach/   (team access code: \$COACH_ACCESS_CODE, default coach-local)
  REST:  curl -s localhost:$RASA_PORT/webhooks/rest/webhook -H 'Content-Type: application/json' \\
           -d '{"sender": "rep-1", "message": "老板说你们价格太高了"}'
  Shell: make shell   (in another terminal; works alongside this)
  Stop:  Ctrl-C
MSG
wait -n "${pids[@]}"
status=$?
# Ctrl-C reaches the servers too; a server that stopped on SIGINT/SIGTERM is a normal stop.
case $status in 0|130|143) exit 0 ;; esac
echo "[run] a server exited with status $status; shutting down" >&2
exit 1
