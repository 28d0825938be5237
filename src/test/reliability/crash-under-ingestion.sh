#!/usr/bin/env bash
# Fault test: the service is killed with SIGKILL under ingestion; every acknowledged reading must survive.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: src/test/reliability/crash-under-ingestion.sh [options]

Starts its own PostgreSQL 15 (initdb in a temporary directory, free port on 127.0.0.1) and the packaged
service (built with ./mvnw -DskipTests package when target/iot-api-*.jar is missing), registers sensors,
and lets several concurrent clients post gateway batches to POST /api/readings for --duration seconds,
recording every (sensor, time) acknowledged with a 2xx. Half-way the service is killed with SIGKILL and
restarted on the same database while the clients keep retrying (they go on for at least 10 s after the
service is ready again, however long the restart takes). Then it checks with psql that every
acknowledged reading is in the reading table exactly once.

Prints: acknowledged readings, lost readings (must be 0), duplicates (must be 0), restart-to-ready time.
Exits non-zero when a reading is lost or duplicated, or the service does not come back within 120 s.

Options:
  --duration S     seconds of load (default 60)
  --sensors N      sensors (default 50)
  --clients N      concurrent clients (default 4)
  --batch N        readings per request (default 100)
  --max-requests N request budget of all clients together (default 20000)
  -h, --help       this help

Needs: /usr/lib/postgresql/15/bin (Debian postgresql-15), psql, a JDK >= 17, curl, python3.
USAGE
}

duration=60
sensors=50
clients=4
batch=100
max_requests=20000
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --sensors) sensors="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    --batch) batch="$2"; shift 2 ;;
    --max-requests) max_requests="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "Unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
trap rel_cleanup EXIT

pg_init
ensure_jar
port="$(free_port)"
url="http://127.0.0.1:$port"
log "Starting the service on $url"
app_start app "$port"
wait_ready app "$url" 180
token="$(register "$url" "$sensors")"

log "Load: $clients clients, batches of $batch, ${duration}s; SIGKILL after $(( duration / 2 ))s"
load "$url" "$token" "$work/sensors.txt" "$clients" "$duration" "$batch" "$max_requests" "$work/acks.csv" \
  "$work/stop" >"$work/load.out" &
load_pid=$!
extra_pids+=("$load_pid")
sleep $(( duration / 2 ))
acked_before="$(wc -l <"$work/acks.csv")"
log "SIGKILL to the service ($acked_before readings acknowledged so far)"
app_kill app KILL
restart_began="$(now_ms)"
app_start app "$port"
wait_ready app "$url" 120
restart_ms=$(( $(now_ms) - restart_began ))
log "Ready again after ${restart_ms} ms"
# The clients go on for the rest of --duration, and at least 10 s after the restart (stop file).
remaining=$(( duration - duration / 2 - restart_ms / 1000 ))
sleep $(( remaining > 10 ? remaining : 10 ))
touch "$work/stop"
wait "$load_pid"
cat "$work/load.out" >&2

read -r acknowledged matching lost duplicates <<<"$(verify_acknowledged "$work/acks.csv")"
cat <<REPORT

== crash under ingestion ==
load                         : $(cat "$work/load.out")
acknowledged readings        : $acknowledged ($acked_before when the SIGKILL was sent)
acknowledged rows in the DB  : $matching
lost                         : $lost
duplicated keys in the table : $duplicates
restart-to-ready (launch -> readiness UP) : ${restart_ms} ms
REPORT
if [[ "$lost" -ne 0 || "$duplicates" -ne 0 || "$matching" -ne "$acknowledged" || "$acknowledged" -eq 0 ]]; then
  echo "FAIL: acknowledged readings were lost or duplicated" >&2
  exit 1
fi
if (( acked_before == acknowledged )); then
  echo "FAIL: nothing was acknowledged after the restart" >&2
  exit 1
fi
echo "PASS: every acknowledged reading is stored exactly once"
