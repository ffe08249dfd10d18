#!/usr/bin/env bash
# make scale-test: Rasa's documented scale-out path on this machine, checked end to end.
#
#   PostgreSQL (tracker store + shared results), Redis (lock store), 2 action servers and
#   2 Rasa replicas, nginx in front of each pair. Everything is private: started from
#   build/scale/ on 127.0.0.1 with non-default ports, stopped on exit (even on failure);
#   the system services of the Debian packages are never used. Logs stay in build/scale/logs/.
#
# Steps: install the Debian packages when missing (root, as in CI) → PostgreSQL, Redis → the
# store tests against them (tests/scale) → action servers, Rasa replicas, nginx →
# consistency check (scripts/scale_check.py) → benchmark (scripts/bench.py load) through nginx
# and against one replica. Any failed step exits non-zero with the failing service's log tail.
#
# Ports (override with the variables): SCALE_PG_PORT 15432, SCALE_REDIS_PORT 16379,
# SCALE_ACTION_PORTS "15055 15056", SCALE_RASA_PORTS "15005 15006", SCALE_LB_PORT 15080 (nginx →
# Rasa), SCALE_ACTION_LB_PORT 15081 (nginx → actions). SCALE_BENCH_LEVELS (default 1,10,50).
# SCALE_HOLD=1 keeps the cluster up after start-up (no checks) until Ctrl-C, to try things by hand.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SCALE=$ROOT/build/scale
LOGS=$SCALE/logs
PG_PORT=${SCALE_PG_PORT:-15432}
REDIS_PORT=${SCALE_REDIS_PORT:-16379}
read -r -a ACTION_PORTS <<<"${SCALE_ACTION_PORTS:-15055 15056}"
read -r -a RASA_PORTS <<<"${SCALE_RASA_PORTS:-15005 15006}"
LB_PORT=${SCALE_LB_PORT:-15080}
ACTION_LB_PORT=${SCALE_ACTION_LB_PORT:-15081}
BENCH_LEVELS=${SCALE_BENCH_LEVELS:-1,10,50}
PG_USER=coach
MODEL=models/coach.tar.gz
PY=.venv/bin/python

# Same quiet settings as the Makefile, for running this script directly.
export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2} RASA_TELEMETRY_ENABLED=false
export PYTHONWARNINGS=${PYTHONWARNINGS:-ignore} SQLALCHEMY_SILENCE_UBER_WARNING=1

started_at=$(date +%s)
say() { echo "[scale] $*"; }
die() { echo "[scale] error: $*" >&2; exit 1; }

# --- processes we start, stopped in reverse order on exit -------------------------------------------
names=(); pids=(); PG_STARTED=
PG_BIN=; AS_PG=()

stop_all() {
  local status=$?
  trap - EXIT INT TERM
  if [ ${#pids[@]} -gt 0 ] || [ -n "$PG_STARTED" ]; then say "stopping the cluster"; fi
  local i
  for (( i=${#pids[@]}-1; i>=0; i-- )); do
    local pid=${pids[$i]}
    kill -0 "$pid" 2>/dev/null || continue
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    if kill -0 "$pid" 2>/dev/null; then
      say "  ${names[$i]} (pid $pid) ignored SIGTERM for 10 s: killing it"
      kill -KILL "$pid" 2>/dev/null
    fi
    wait "$pid" 2>/dev/null
  done
  if [ -n "$PG_STARTED" ]; then
    "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$SCALE/pg/data" -m fast -w -t 60 stop >/dev/null 2>&1 \
      || say "  warning: PostgreSQL did not stop cleanly (see $LOGS/postgres.log)"
  fi
  if [ "$status" -ne 0 ]; then
    say "FAILED after $(( $(date +%s) - started_at ))s. Logs: build/scale/logs/"
  fi
  exit "$status"
}
trap stop_all EXIT
trap 'echo; say "interrupted"; exit 130' INT TERM

# start NAME LOG COMMAND...: run in the background, remember it for stop_all.
start() {
  local name=$1 log=$2; shift 2
  "$@" >"$log" 2>&1 &
  names+=("$name"); pids+=($!)
}

log_tail() {  # log_tail NAME LOG: the end of a failing service's log, to see why
  echo "[scale] ---- last lines of $2 ($1) ----" >&2
  tail -n 40 "$2" 2>/dev/null | sed 's/^/[scale] | /' >&2
  echo "[scale] ----" >&2
}

# wait_ready NAME URL SECONDS PID LOG: until URL answers 2xx; fail clearly if the process dies or time runs out.
wait_ready() {
  local name=$1 url=$2 limit=$3 pid=$4 log=$5 t0=$SECONDS
  while (( SECONDS - t0 < limit )); do
    if ! kill -0 "$pid" 2>/dev/null; then
      log_tail "$name" "$log"; die "$name exited during start-up (log above: $log)"
    fi
    if curl -fsS -o /dev/null --max-time 5 "$url" 2>/dev/null; then
      say "  $name ready in $(( SECONDS - t0 ))s ($url)"; return 0
    fi
    sleep 1
  done
  log_tail "$name" "$log"; die "$name did not answer $url within ${limit}s (log above: $log)"
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# --- 1. Debian packages ----------------------------------------------------------------------------
find_pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
REDIS=$(command -v redis-server || echo /usr/bin/redis-server)

packages=()
[ -n "$(find_pg_bin)" ] && [ -x "$(find_pg_bin)/initdb" ] || packages+=(postgresql)
[ -x "$REDIS" ] || packages+=(redis-server)
[ -x "$NGINX" ] || packages+=(nginx)
if [ ${#packages[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    die "missing ${packages[*]}; install them with 'sudo apt-get install -y --no-install-recommends ${packages[*]}' (or run as root, as CI does)"
  fi
  say "installing ${packages[*]} from Debian (apt-get; about a minute)"
  export DEBIAN_FRONTEND=noninteractive
  mkdir -p "$LOGS"
  apt_log=$LOGS/apt.log
  apt-get install -y -q --no-install-recommends "${packages[@]}" >"$apt_log" 2>&1 || {
    say "  install failed; refreshing the package lists (apt-get update) and retrying"
    apt-get update -q >>"$apt_log" 2>&1 && apt-get install -y -q --no-install-recommends "${packages[@]}" >>"$apt_log" 2>&1
  } || { log_tail apt-get "$apt_log"; die "could not install ${packages[*]} (log above)"; }
  # The packages start their own system services (5432, 6379, 80); this test never uses them.
  NGINX=$(command -v nginx || echo /usr/sbin/nginx)
  REDIS=$(command -v redis-server || echo /usr/bin/redis-server)
  say "  installed ${packages[*]}"
else
  say "postgresql, redis-server and nginx are installed"
fi
PG_BIN=$(find_pg_bin)
[ -x "$PG_BIN/initdb" ] || die "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin; reinstall postgresql"
[ -f "$MODEL" ] || die "no trained model at $MODEL: run 'make train' first (make scale-test does)"
[ -x "$PY" ] || die "no .venv: run 'make setup' first (make scale-test does)"

# --- 2. ports and a fresh build/scale ---------------------------------------------------------------
declare -A port_of=([PostgreSQL]=$PG_PORT [Redis]=$REDIS_PORT [nginx-rasa]=$LB_PORT [nginx-actions]=$ACTION_LB_PORT
                    [actions-1]=${ACTION_PORTS[0]} [actions-2]=${ACTION_PORTS[1]} [rasa-1]=${RASA_PORTS[0]} [rasa-2]=${RASA_PORTS[1]})
# An interrupted run (kill -9) may have left its PostgreSQL running from build/scale: stop that one only.
if [ -f "$SCALE/pg/data/postmaster.pid" ]; then
  say "stopping the PostgreSQL left running by an interrupted run"
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$SCALE/pg/data" -m fast -w stop >/dev/null 2>&1
  else "$PG_BIN/pg_ctl" -D "$SCALE/pg/data" -m fast -w stop >/dev/null 2>&1; fi
fi
for what in "${!port_of[@]}"; do
  port=${port_of[$what]}
  if port_busy "$port"; then
    die "port $port (for $what) is already in use on 127.0.0.1. Stop what listens there ('ss -ltnp | grep :$port'), or pick other ports with SCALE_PG_PORT, SCALE_REDIS_PORT, SCALE_ACTION_PORTS, SCALE_RASA_PORTS, SCALE_LB_PORT, SCALE_ACTION_LB_PORT."
  fi
done
rm -rf "$SCALE"
mkdir -p "$LOGS" "$SCALE/redis" "$SCALE/nginx/tmp"
say "ports: PostgreSQL $PG_PORT, Redis $REDIS_PORT, actions ${ACTION_PORTS[*]}, Rasa ${RASA_PORTS[*]}, nginx $LB_PORT (Rasa) / $ACTION_LB_PORT (actions)"

# --- 3. PostgreSQL ----------------------------------------------------------------------------------
# PostgreSQL refuses to run as root: as root (CI), run it as the postgres user of the Debian package.
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || die "no 'postgres' user (it comes with the postgresql package); reinstall postgresql"
  AS_PG=(runuser -u postgres --)
fi
mkdir -p "$SCALE/pg"
if [ ${#AS_PG[@]} -gt 0 ]; then
  chown postgres: "$SCALE/pg"
  "${AS_PG[@]}" test -w "$SCALE/pg" || die "the postgres user cannot reach $SCALE/pg: a parent directory is not searchable by others (e.g. /root is 0700). Make the parents of the checkout searchable ('chmod o+x DIR') or clone it elsewhere (e.g. under /work or /srv)."
fi
touch "$LOGS/postgres.log"
[ ${#AS_PG[@]} -eq 0 ] || chown postgres: "$LOGS/postgres.log"
# A fresh random password per run (letters and digits: safe in a URL unescaped).
PG_PASSWORD=$(head -c 64 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)
pwfile=$SCALE/pg/pwfile
(umask 077; printf '%s\n' "$PG_PASSWORD" >"$pwfile")
[ ${#AS_PG[@]} -eq 0 ] || chown postgres: "$pwfile"
say "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}'): initdb in build/scale/pg/data (user $PG_USER, password auth)"
if ! "${AS_PG[@]}" "$PG_BIN/initdb" -D "$SCALE/pg/data" -U "$PG_USER" --pwfile="$pwfile" --auth=scram-sha-256 \
     -E UTF8 --no-locale >"$LOGS/initdb.log" 2>&1; then
  log_tail initdb "$LOGS/initdb.log"; die "initdb failed (log above)"
fi
rm -f "$pwfile"
# In postgresql.conf rather than on the command line, so that a plain `pg_ctl start/restart` (the
# reconnect tests) brings it back on the same private address. No Unix socket: nothing in /run.
cat >>"$SCALE/pg/data/postgresql.conf" <<CONF

# scripts/scale_test.sh: private instance on loopback
port = $PG_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 200
CONF
PG_CTL=("${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$SCALE/pg/data" -l "$LOGS/postgres.log")
if ! "${PG_CTL[@]}" -w -t 60 start >/dev/null 2>&1; then
  log_tail PostgreSQL "$LOGS/postgres.log"; die "PostgreSQL did not start on 127.0.0.1:$PG_PORT (log above)"
fi
PG_STARTED=1
psql_admin() { PGPASSWORD=$PG_PASSWORD "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
psql_admin -c "CREATE DATABASE tracker" -c "CREATE DATABASE results" >>"$LOGS/postgres-setup.log" 2>&1 \
  || { log_tail psql "$LOGS/postgres-setup.log"; die "could not create the databases"; }
# The scratch database of the store tests uses an ICU en-US collation when the server has ICU: the
# store must sort rep ids like SQLite whatever the database's locale.
psql_admin -c "CREATE DATABASE coach_test TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C'" \
  >>"$LOGS/postgres-setup.log" 2>&1 || psql_admin -c "CREATE DATABASE coach_test" >>"$LOGS/postgres-setup.log" 2>&1 \
  || { log_tail psql "$LOGS/postgres-setup.log"; die "could not create the test database"; }
PG_URL_BASE="postgresql://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT"
say "  PostgreSQL up on 127.0.0.1:$PG_PORT with databases tracker, results, coach_test"

# --- 4. Redis ---------------------------------------------------------------------------------------
say "starting Redis on 127.0.0.1:$REDIS_PORT (lock store; no persistence)"
start redis "$LOGS/redis.log" "$REDIS" --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes \
  --save '' --appendonly no --dir "$SCALE/redis" --daemonize no
REDIS_PID=${pids[-1]}
t0=$SECONDS
while (( SECONDS - t0 < 30 )); do
  kill -0 "$REDIS_PID" 2>/dev/null || { log_tail Redis "$LOGS/redis.log"; die "Redis exited during start-up"; }
  pong=$(timeout 3 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && printf "PING\r\n" >&3 && head -c 5 <&3' _ "$REDIS_PORT" 2>/dev/null || true)
  [ "$pong" = "+PONG" ] && break
  sleep 0.5
done
[ "${pong:-}" = "+PONG" ] || { log_tail Redis "$LOGS/redis.log"; die "Redis did not answer PING on 127.0.0.1:$REDIS_PORT within 30s"; }
say "  Redis ready"

# --- 5. tests against these servers: the PostgreSQL results store, the Redis lock store ---------------
say "store tests on them (tests/scale: results on PostgreSQL, restarting it twice; the lock store on Redis)"
printf -v pg_ctl_cmd '%q ' "${PG_CTL[@]}"
if ! COACH_TEST_PG_URL="$PG_URL_BASE/coach_test" COACH_TEST_PG_CTL="$pg_ctl_cmd" COACH_TEST_REDIS_PORT="$REDIS_PORT" \
     "$PY" -m pytest -q -m scale tests/scale 2>&1 | tee "$LOGS/pytest-scale.log" | sed 's/^/[scale]   /'; then
  die "the tests in tests/scale failed (above; log $LOGS/pytest-scale.log)"
fi

# --- 6. action servers, Rasa replicas, nginx --------------------------------------------------------

RESULTS_URL="$PG_URL_BASE/results"
# Every replica sends it with each action call and every action server checks it (README, "Security"):
# one value for the whole cluster; coach/server/action_secret.py reads it in both.
export COACH_ACTIONS_SECRET=${COACH_ACTIONS_SECRET:-$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')}
for port in "${ACTION_PORTS[@]}"; do
  say "starting an action server on 127.0.0.1:$port (results in PostgreSQL)"
  start "action server :$port" "$LOGS/actions-$port.log" env COACH_RESULTS_DB="$RESULTS_URL" \
    "$PY" -m actions --port "$port"
done
action_pids=("${pids[@]: -2}")

# What configs/scale/endpoints.yml reads (Rasa expands the ${VAR} placeholders at start-up).
export COACH_ACTION_URL="http://127.0.0.1:$ACTION_LB_PORT/webhook" COACH_PG_HOST=127.0.0.1 COACH_PG_PORT=$PG_PORT \
       COACH_PG_USER=$PG_USER COACH_PG_PASSWORD=$PG_PASSWORD COACH_TRACKER_DB=tracker \
       COACH_REDIS_HOST=127.0.0.1 COACH_REDIS_PORT=$REDIS_PORT COACH_REDIS_DB=1
# Every replica must sign and check the web chat's login tokens with the same key.
export COACH_CHAT_SECRET=${COACH_CHAT_SECRET:-$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')}
for port in "${RASA_PORTS[@]}"; do
  say "starting a Rasa replica on 127.0.0.1:$port (tracker in PostgreSQL, locks in Redis)"
  # The replicas read who may sign in (the people table) from the shared results database.
  start "Rasa replica :$port" "$LOGS/rasa-$port.log" env COACH_RESULTS_DB="$RESULTS_URL" \
    .venv/bin/rasa run --model "$MODEL" --interface 127.0.0.1 \
    --port "$port" --endpoints configs/scale/endpoints.yml --credentials credentials.yml
done
rasa_pids=("${pids[@]: -2}")

conf=$SCALE/nginx/nginx.conf
cat >"$conf" <<NGINX
# Generated by scripts/scale_test.sh: a private nginx for the scale test, loopback only.
daemon off;
worker_processes 2;
pid $SCALE/nginx/nginx.pid;
error_log $LOGS/nginx-error.log warn;
events { worker_connections 1024; }
http {
    client_body_temp_path $SCALE/nginx/tmp/body;
    proxy_temp_path $SCALE/nginx/tmp/proxy;
    fastcgi_temp_path $SCALE/nginx/tmp/fastcgi;
    uwsgi_temp_path $SCALE/nginx/tmp/uwsgi;
    scgi_temp_path $SCALE/nginx/tmp/scgi;
    # upstream= is how the check sees which replica answered.
    log_format upstream '\$remote_addr [\$time_local] "\$request" \$status \$request_time upstream=\$upstream_addr';

    # Round robin: any replica can take any message (shared tracker store, Redis lock).
    upstream rasa_replicas {
        server 127.0.0.1:${RASA_PORTS[0]};
        server 127.0.0.1:${RASA_PORTS[1]};
        keepalive 32;
    }
    # The chat page's channel remembers each message id per process (a retried id is answered once):
    # its requests go by rep (the signed token), so a rep's retries reach the replica that answered.
    upstream rasa_by_rep {
        hash \$http_authorization consistent;
        server 127.0.0.1:${RASA_PORTS[0]};
        server 127.0.0.1:${RASA_PORTS[1]};
        keepalive 32;
    }
    upstream action_servers {
        server 127.0.0.1:${ACTION_PORTS[0]};
        server 127.0.0.1:${ACTION_PORTS[1]};
        keepalive 32;
    }
    server {
        listen 127.0.0.1:$LB_PORT;
        access_log $LOGS/nginx-rasa.log upstream;
        client_max_body_size 64k;
        location / {
            proxy_pass http://rasa_replicas;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$host;
            proxy_read_timeout 120s;  # a message may wait for its conversation's lock
        }
        location /webhooks/coach/ {
            proxy_pass http://rasa_by_rep;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$host;
            proxy_read_timeout 120s;
        }
    }
    server {
        listen 127.0.0.1:$ACTION_LB_PORT;
        access_log $LOGS/nginx-actions.log upstream;
        # Rasa posts the whole tracker to the action server: keep such bodies in memory, not temp files.
        client_max_body_size 8m;
        client_body_buffer_size 8m;
        location / {
            proxy_pass http://action_servers;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_read_timeout 60s;
        }
    }
}
NGINX
if ! "$NGINX" -t -q -c "$conf" -p "$SCALE/nginx" -e "$LOGS/nginx-error.log" >"$LOGS/nginx-configtest.log" 2>&1; then
  log_tail "nginx -t" "$LOGS/nginx-configtest.log"; die "the generated nginx config $conf is invalid (above)"
fi
say "starting nginx: 127.0.0.1:$LB_PORT → Rasa replicas, 127.0.0.1:$ACTION_LB_PORT → action servers ($conf)"
start nginx "$LOGS/nginx.log" "$NGINX" -c "$conf" -p "$SCALE/nginx" -e "$LOGS/nginx-error.log"
NGINX_PID=${pids[-1]}

say "waiting for the services (the Rasa replicas load the model: about a minute on 2 cores)"
for i in 0 1; do
  wait_ready "action server :${ACTION_PORTS[$i]}" "http://127.0.0.1:${ACTION_PORTS[$i]}/health" 180 \
    "${action_pids[$i]}" "$LOGS/actions-${ACTION_PORTS[$i]}.log"
done
wait_ready "nginx → action servers" "http://127.0.0.1:$ACTION_LB_PORT/health" 30 "$NGINX_PID" "$LOGS/nginx-error.log"
for i in 0 1; do
  wait_ready "Rasa replica :${RASA_PORTS[$i]}" "http://127.0.0.1:${RASA_PORTS[$i]}/" 300 \
    "${rasa_pids[$i]}" "$LOGS/rasa-${RASA_PORTS[$i]}.log"
done
wait_ready "nginx → Rasa replicas" "http://127.0.0.1:$LB_PORT/" 30 "$NGINX_PID" "$LOGS/nginx-error.log"
say "cluster up in $(( $(date +%s) - started_at ))s since the start of the script"
# For poking at the cluster by hand: its addresses (with the password: owner-only file).
(umask 077; cat >"$SCALE/cluster.env" <<ENV
RASA_REPLICAS="${RASA_PORTS[*]}" ACTION_SERVERS="${ACTION_PORTS[*]}" NGINX_RASA=$LB_PORT NGINX_ACTIONS=$ACTION_LB_PORT
REDIS_PORT=$REDIS_PORT
SCALE_RESULTS_DB=$RESULTS_URL
SCALE_TRACKER_DB=$PG_URL_BASE/tracker
ENV
)
if [ "${SCALE_HOLD:-}" = 1 ]; then
  say "SCALE_HOLD=1: the cluster stays up (addresses in build/scale/cluster.env) until Ctrl-C or SIGTERM"
  trap 'exit 0' INT TERM
  start hold /dev/null sleep infinity  # in pids: stop_all ends it too
  wait "${pids[-1]}"
fi

# --- 7. consistency across replicas -----------------------------------------------------------------
# The database URLs go by environment, not argv: they carry the password.
if ! SCALE_RESULTS_DB="$RESULTS_URL" SCALE_TRACKER_DB="$PG_URL_BASE/tracker" \
     "$PY" scripts/scale_check.py consistency --rasa "${RASA_PORTS[0]},${RASA_PORTS[1]}" \
     --actions "${ACTION_PORTS[0]},${ACTION_PORTS[1]}" --lb "$LB_PORT" --redis-port "$REDIS_PORT" \
     --nginx-log "$LOGS/nginx-rasa.log" --nginx-action-log "$LOGS/nginx-actions.log"; then
  for port in "${RASA_PORTS[@]}"; do log_tail "Rasa replica :$port" "$LOGS/rasa-$port.log"; done
  for port in "${ACTION_PORTS[@]}"; do log_tail "action server :$port" "$LOGS/actions-$port.log"; done
  die "the consistency check failed (above)"
fi

# --- 8. benchmark: two replicas through nginx vs one replica ------------------------------------------
# scripts/bench.py is the project's load driver (`bench.py load --url URL --reps 1,10,50 --json OUT`).
two_json=$SCALE/bench_nginx_2_replicas.json
one_json=$SCALE/bench_1_replica.json
say "benchmark (a): 2 Rasa replicas through nginx :$LB_PORT, reps $BENCH_LEVELS"
"$PY" scripts/bench.py load --url "http://127.0.0.1:$LB_PORT" --reps "$BENCH_LEVELS" --tag scale-2r \
  --json "$two_json" 2>&1 | tee "$LOGS/bench-2-replicas.log" | sed 's/^/[scale]   /'
[ "${PIPESTATUS[0]}" -eq 0 ] && [ -s "$two_json" ] || die "benchmark (a) failed (log $LOGS/bench-2-replicas.log)"
say "benchmark (b): 1 Rasa replica directly on :${RASA_PORTS[0]}, reps $BENCH_LEVELS"
"$PY" scripts/bench.py load --url "http://127.0.0.1:${RASA_PORTS[0]}" --reps "$BENCH_LEVELS" --tag scale-1r \
  --json "$one_json" 2>&1 | tee "$LOGS/bench-1-replica.log" | sed 's/^/[scale]   /'
[ "${PIPESTATUS[0]}" -eq 0 ] && [ -s "$one_json" ] || die "benchmark (b) failed (log $LOGS/bench-1-replica.log)"
say "throughput, two replicas behind nginx vs one replica (same cluster; $(nproc) CPU cores):"
"$PY" scripts/scale_check.py compare "$two_json" "$one_json" --doc docs/performance.md \
  || die "the benchmark reported failed requests (above)"
say "  figures: build/scale/bench_nginx_2_replicas.json, build/scale/bench_1_replica.json; table in docs/performance.md"

say "scale test passed in $(( $(date +%s) - started_at ))s; logs in build/scale/logs/"
