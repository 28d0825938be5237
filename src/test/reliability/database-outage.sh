#!/usr/bin/env bash
# Fault test: the external PostgreSQL stops for a while under load; the service must degrade and recover cleanly.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: src/test/reliability/database-outage.sh [options]

Starts its own PostgreSQL 15 and the packaged service (see crash-under-ingestion.sh), keeps steady
ingestion running through POST /api/readings, stops PostgreSQL (pg_ctl stop -m fast) for --outage
seconds, then starts it again. It checks that:
  - readiness (/actuator/health/readiness, sampled every 0.25 s by a separate loop) answers 503 within
    5 s of the stop: its db check waits for the Hikari connection timeout (3 s) before it can say DOWN;
  - during the outage every request answers 503 application/problem+json within the Hikari connection
    timeout (5 s) plus 2 s of margin: no 500, nothing hanging (curl --max-time 15);
  - after PostgreSQL is back, readiness is UP and a write answers 2xx within 5 s, without restarting the
    service;
  - every reading acknowledged with a 2xx during the whole run is in the database.

Prints: time to DOWN, max request latency during the outage, the status histograms (probes and load
clients), time to recover, acknowledged and lost readings. Exits non-zero when a check fails.

Options:
  --outage S       seconds PostgreSQL stays down (default 30)
  --sensors N      sensors (default 20)
  --clients N      concurrent load clients (default 2)
  --batch N        readings per request (default 50)
  -h, --help       this help

Needs: /usr/lib/postgresql/15/bin (Debian postgresql-15), psql, a JDK >= 17, curl, python3.
USAGE
}

outage=30
sensors=20
clients=2
batch=50
while [[ $# -gt 0 ]]; do
  case "$1" in
    --outage) outage="$2"; shift 2 ;;
    --sensors) sensors="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    --batch) batch="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "Unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
trap rel_cleanup EXIT

down_limit_ms=5000
latency_limit_ms=5000
recover_limit_ms=5000

pg_init
ensure_jar
port="$(free_port)"
url="http://127.0.0.1:$port"
log "Starting the service on $url"
app_start app "$port"
wait_ready app "$url" 180
token="$(register "$url" "$sensors")"
probe_sensor="$(head -n 1 "$work/sensors.txt")"

# probe_get <path> / probe_post: "<status> <milliseconds> <content-type>" of one request (000 when no answer).
probe_get() {
  curl -s -o /dev/null --max-time 15 -w '%{http_code} %{time_total} %{content_type}\n' "$url$1" \
    | awk '{ printf "%s %d %s\n", $1, $2 * 1000, $3 }' || true
}
probe_seq=0
probe_post() {
  probe_seq=$(( probe_seq + 1 ))
  local time body result
  time="$(date -u -d "-1 hour" +%Y-%m-%dT%H:%M:%S).$(printf '%06d' "$probe_seq")Z"
  body="[{\"sensorId\":\"$probe_sensor\",\"time\":\"$time\",\"value\":21.5}]"
  result="$(curl -s -o /dev/null --max-time 15 -w '%{http_code} %{time_total} %{content_type}\n' \
    -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$body" "$url/api/readings" \
    | awk '{ printf "%s %d %s\n", $1, $2 * 1000, $3 }' || true)"
  if [[ "$result" == 2* ]]; then echo "$probe_sensor,$time" >>"$work/probe-acks.csv"; fi
  echo "$result"
}
touch "$work/probe-acks.csv"

load_seconds=$(( 10 + outage + 20 ))
log "Steady load: $clients clients, batches of $batch, ${load_seconds}s"
load "$url" "$token" "$work/sensors.txt" "$clients" "$load_seconds" "$batch" 100000 "$work/acks.csv" \
  >"$work/load.out" &
load_pid=$!
extra_pids+=("$load_pid")
sleep 10

log "Stopping PostgreSQL for ${outage}s"
pg_stop
stopped="$(now_ms)"
# Readiness sampler: "<ms since the stop when the answer came> <status> <latency ms> <content type>".
(
  while (( $(now_ms) - stopped < outage * 1000 )); do
    read -r status ms type <<<"$(probe_get /actuator/health/readiness)"
    echo "$(( $(now_ms) - stopped )) $status $ms $type"
    sleep 0.25
  done
) >"$work/readiness.txt" &
sampler_pid=$!
extra_pids+=("$sampler_pid")
: >"$work/outage-probes.txt"
while (( $(now_ms) - stopped < outage * 1000 )); do
  read -r status ms type <<<"$(probe_post)"
  echo "write $status $ms $type" >>"$work/outage-probes.txt"
  read -r status ms type <<<"$(probe_get "/api/sensors/$probe_sensor" )"
  echo "read-unauthenticated $status $ms $type" >>"$work/outage-probes.txt"
  sleep 0.5
done

wait "$sampler_pid" || true
awk '{ print "readiness " $2 " " $3 " " $4 }' "$work/readiness.txt" >>"$work/outage-probes.txt"
down_ms="$(awk '$2 == 503 { print $1; exit }' "$work/readiness.txt")"
log "Starting PostgreSQL again"
pg_start
restarted="$(now_ms)"
ready_ms=""
write_ms=""
while (( $(now_ms) - restarted < 30000 )) && [[ -z "$ready_ms" || -z "$write_ms" ]]; do
  if [[ -z "$ready_ms" ]] && [[ "$(probe_get /actuator/health/readiness)" == 200* ]]; then
    ready_ms=$(( $(now_ms) - restarted ))
  fi
  if [[ -z "$write_ms" ]] && [[ "$(probe_post)" == 2* ]]; then write_ms=$(( $(now_ms) - restarted )); fi
  sleep 0.1
done
wait "$load_pid"
cat "$work/load.out" >&2

outage_max_ms="$(awk '$1 != "read-unauthenticated" { if ($3 > m) m = $3 } END { print m + 0 }' "$work/outage-probes.txt")"
histogram="$(awk '{ print $1 "=" $2 }' "$work/outage-probes.txt" | sort | uniq -c | awk '{ printf "%s:%s ", $2, $1 }')"
bad_probes="$(awk '($1 == "write" && ($2 != 503 || $4 !~ /^application\/problem\+json/)) ||
  ($1 == "readiness" && $2 != 503 && $2 != 200) || ($1 == "read-unauthenticated" && $2 != 401)' \
  "$work/outage-probes.txt" | grep -c . || true)"
cat "$work/acks.csv" "$work/probe-acks.csv" >"$work/all-acks.csv"
read -r acknowledged matching lost duplicates <<<"$(verify_acknowledged "$work/all-acks.csv")"
load_statuses="$(sed -E 's/.*statuses=//' "$work/load.out")"

cat <<REPORT

== database outage (${outage}s) ==
time to readiness DOWN (503)           : ${down_ms:-never} ms (limit $down_limit_ms)
probes during the outage               : $histogram
unexpected probe answers               : $bad_probes
max probe latency during the outage    : ${outage_max_ms} ms (limit $latency_limit_ms)
load clients                           : $(cat "$work/load.out")
time to readiness UP after DB restart  : ${ready_ms:-never} ms (limit $recover_limit_ms)
time to first 2xx write after restart  : ${write_ms:-never} ms (limit $recover_limit_ms)
acknowledged readings                  : $acknowledged (in the DB: $matching, lost: $lost, duplicated keys: $duplicates)
REPORT

failures=()
[[ -n "$down_ms" && "$down_ms" -le "$down_limit_ms" ]] || failures+=("readiness did not go DOWN within 5 s")
[[ "$bad_probes" -eq 0 ]] || failures+=("$bad_probes outage probes were not 503 problem+json")
(( outage_max_ms <= latency_limit_ms )) || failures+=("a request took ${outage_max_ms} ms during the outage")
[[ "$load_statuses" != *500* && "$load_statuses" != *"not problem"* ]] \
  || failures+=("load clients saw 500s or non-problem errors: $load_statuses")
[[ -n "$ready_ms" && "$ready_ms" -le "$recover_limit_ms" ]] || failures+=("readiness not UP within 5 s")
[[ -n "$write_ms" && "$write_ms" -le "$recover_limit_ms" ]] || failures+=("writes not 2xx within 5 s")
[[ "$lost" -eq 0 && "$duplicates" -eq 0 && "$acknowledged" -gt 0 ]] || failures+=("acknowledged readings lost")
if (( ${#failures[@]} > 0 )); then
  printf 'FAIL: %s\n' "${failures[@]}" >&2
  exit 1
fi
echo "PASS: DOWN, 503 problem+json, recovery and durability within their limits"
