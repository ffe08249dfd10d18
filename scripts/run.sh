#!/usr/bin/env bash
# Start the action server and the Rasa server; Ctrl-C stops both. "Objection Coach is up" is printed
# only once a test message has gone through Rasa and the action server (README, "Security").
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
SELFCHECK_SENDER=coach-selfcheck

# Conversations, results and secrets are the reps' data: owner-only, also files made by earlier runs.
umask 077
mkdir -p .state
chmod 700 .state
databases=(.state/*.db* "$COACH_TRACKER_DB"-wal "$COACH_TRACKER_DB"-shm "$COACH_TRACKER_DB")
if [ -n "${COACH_RESULTS_DB:-}" ] && [[ "$COACH_RESULTS_DB" != *://* ]]; then
  databases+=("$COACH_RESULTS_DB" "$COACH_RESULTS_DB"-wal "$COACH_RESULTS_DB"-shm)
fi
for db in "${databases[@]}"; do
  if [ -f "$db" ]; then chmod 600 "$db"; fi
done

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

# Where Rasa listens and who may use REST (coach/settings.py, coach/server/channels/rest.py).
read -r HOST REST_MODE EXPOSED < <(.venv/bin/python -c '
from coach import settings
from coach.server.channels.base import is_loopback
s = settings.current()
print(s.host, "token" if s.api_token else "open" if is_loopback(s.host) else "off", not is_loopback(s.host))')
echo "[run] starting the Rasa server on $HOST:$RASA_PORT (loading the model takes ~20s)"
# `rasa run`, through coach/server/__main__.py: it quiets the dependencies' deprecation warnings
# before the Rasa CLI imports them (coach/server/logs.py) and listens on COACH_HOST (loopback).
.venv/bin/python -m coach.server run --model models/coach.tar.gz --interface "$HOST" --port "$RASA_PORT" \
  --endpoints "$ENDPOINTS" --credentials credentials.yml &
pids+=($!)
if ! wait_http "http://127.0.0.1:$RASA_PORT/" 180 "${pids[1]}"; then
  echo "[run] error: the Rasa server did not start (see above)" >&2
  exit 1
fi

# One real message through REST that needs the action server: "/list_drills" gets the drill menu.
selfcheck() {
  printf 'header = "Authorization: Bearer %s"\n' "${COACH_API_TOKEN:-}" |  # not on the command line
    curl -sS --max-time 60 --config - "http://127.0.0.1:$RASA_PORT/webhooks/rest/webhook" \
      -H 'Content-Type: application/json' -d "{\"sender\": \"$SELFCHECK_SENDER\", \"message\": \"/list_drills\"}"
}
if [ "$REST_MODE" = off ]; then
  STATUS="is running, NOT checked end to end: the check uses the REST channel, which is off (set COACH_API_TOKEN)"
else
  answer=$(selfcheck 2>&1)
  if ! grep -q '"drill_menu"' <<<"$answer"; then
    action_url=$(.venv/bin/python -c 'import sys
from rasa.utils.endpoints import read_endpoint_config
config = read_endpoint_config(sys.argv[1], "action_endpoint")
print(config.url if config else "none: no action_endpoint")' "$ENDPOINTS" 2>/dev/null)
    echo "[run] error: the servers started, but a test message (\"/list_drills\" over REST) got no drill menu." >&2
    if grep -q service_unavailable <<<"$answer"; then
      echo "[run]   Rasa could not run an action: it calls the action server at ${action_url:-?} (action_endpoint" >&2
      echo "[run]   in $ENDPOINTS), which was started on 127.0.0.1:$ACTION_PORT. Make them match; see the log above." >&2
    else
      echo "[run]   The answer was: ${answer:0:300}" >&2
    fi
    exit 1
  fi
  STATUS="is up"
fi

case $REST_MODE in
  token) REST_HOW="needs the header \"Authorization: Bearer \$COACH_API_TOKEN\"" ;;
  open)  REST_HOW="open on loopback only; set COACH_API_TOKEN before exposing it" ;;
  off)   REST_HOW="OFF: listening on $HOST without COACH_API_TOKEN" ;;
esac
cat <<MSG

[run] Objection Coach $STATUS (listening on $HOST:$RASA_PORT).
  Chat:  http://localhost:$RASA_PORT/webhooks/coach/
  First trainer: make trainer NAME="Your name"   (prints a one-time sign-in code)
  REST:  $REST_HOW
         curl -s localhost:$RASA_PORT/webhooks/rest/webhook -H 'Content-Type: application/json' \\
           -d '{"sender": "rep-1", "message": "老板说你们价格太高了"}'
  Shell: make shell   (in another terminal; works alongside this)
  Stop:  Ctrl-C
MSG
if [ "$EXPOSED" = True ]; then
  echo "  Network: only Host names in COACH_ALLOWED_HOSTS (and localhost) are answered: set it to the name reps use."
fi
wait -n "${pids[@]}"
status=$?
# Ctrl-C reaches the servers too; a server that stopped on SIGINT/SIGTERM is a normal stop.
case $status in 0|130|143) exit 0 ;; esac
echo "[run] a server exited with status $status; shutting down" >&2
exit 1
