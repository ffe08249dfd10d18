# Shared by scripts/run.sh and scripts/shell.sh (sourced, not run).

# wait_http URL SECONDS PID: succeed once URL answers; fail if PID dies or time runs out.
wait_http() {
  for _ in $(seq "$2"); do
    if ! kill -0 "$3" 2>/dev/null; then return 1; fi
    if curl -fsS "$1" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  return 1
}
