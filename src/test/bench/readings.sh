#!/usr/bin/env bash
# Benchmark of the readings module against a throw-away PostgreSQL 15 and the packaged jar.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: src/test/bench/readings.sh [options]

Starts its own PostgreSQL 15 (initdb in a temporary directory, free port), starts the packaged service
against it and measures:
  1. batch ingestion through POST /api/readings (1,000-reading batches, several concurrent clients) and the
     ratio to a raw COPY of the same rows into the same table, in the same run;
  2. single-reading POST /api/sensors/{id}/readings throughput and p50/p99 with wrk (64 connections);
  3. p50/p95 of a 30-day hourly aggregate and of a 1,000-reading page on the loaded table;
  4. peak RSS of the service.
Everything is removed afterwards. Not part of ./mvnw verify.

Options:
  --readings N        readings to load (default 10000000)
  --sensors N         sensors (default 1000)
  --batch N           readings per request (default 1000)
  --clients N         concurrent batch clients (default 4)
  --run N             consecutive readings of one sensor in a batch (default 1: a 1,000-reading batch holds
                      one reading of each of 1,000 sensors, so one ReadingsRecorded event per reading, the
                      worst case for the alerts module; 100: 100 readings of each of 10 sensors, a gateway
                      flushing its buffer). Must divide the readings per sensor.
  --wrk-duration D    duration of the single-POST run (default 20s)
  --requests N        requests per latency measurement (default 200)
  --java-opts OPTS    JVM options of the service (default: 192 MB heap, serial GC, capped metaspace
                      and code cache, to stay within the 400 MB RSS target)
  --skip-build        use target/iot-api-*.jar as it is
  -h, --help          this help

Needs: /usr/lib/postgresql/15/bin (Debian postgresql-15), psql, wrk, a JDK >= 17, curl.
USAGE
}

readings=10000000
sensors=1000
batch=1000
clients=4
run=1
wrk_duration=20s
requests=200
java_opts="-Xms192m -Xmx192m -XX:+UseSerialGC -XX:MaxMetaspaceSize=160m -XX:ReservedCodeCacheSize=64m -Xss512k"
skip_build=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --readings) readings="$2"; shift 2 ;;
    --sensors) sensors="$2"; shift 2 ;;
    --batch) batch="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    --run) run="$2"; shift 2 ;;
    --wrk-duration) wrk_duration="$2"; shift 2 ;;
    --requests) requests="$2"; shift 2 ;;
    --java-opts) java_opts="$2"; shift 2 ;;
    --skip-build) skip_build=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "Unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done

if (( readings % sensors != 0 || (readings / sensors) % run != 0 )); then
  echo "--sensors must divide --readings, and --run the readings per sensor ($(( readings / sensors )))" >&2
  exit 2
fi

pg_bin=/usr/lib/postgresql/15/bin
bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project_dir="$(cd "$bench_dir/../../.." && pwd)"
work="$(mktemp -d /tmp/readings-bench.XXXXXX)"
service_pid=""

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

cleanup() {
  if [[ -n "$service_pid" ]] && kill -0 "$service_pid" 2>/dev/null; then
    kill "$service_pid" 2>/dev/null || true
    wait "$service_pid" 2>/dev/null || true
  fi
  if [[ -f "$work/pg/postmaster.pid" ]]; then
    pg_ "$pg_bin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# --- PostgreSQL -------------------------------------------------------------------------------------
# PostgreSQL refuses to run as root: then the server runs as the unprivileged user "postgres".
pg_() {
  if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}
mkdir -p "$work/pg" "$work/run"
if [[ $EUID -eq 0 ]]; then chown postgres "$work/pg" "$work/run"; chmod 755 "$work"; fi
pg_port="$(free_port)"
log "Starting PostgreSQL 15 on 127.0.0.1:$pg_port in $work/pg"
pg_ "$pg_bin/initdb" -D "$work/pg" -U postgres --auth=trust --encoding=UTF8 >/dev/null
pg_ "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/run/pg.log" -w start -o \
  "-p $pg_port -k $work/run -c listen_addresses=127.0.0.1 -c shared_buffers=512MB -c max_wal_size=8GB -c checkpoint_timeout=30min" >/dev/null
psql_() { psql -X -q -h 127.0.0.1 -p "$pg_port" -U postgres -d iot -v ON_ERROR_STOP=1 "$@"; }
psql -X -q -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c "create database iot" >/dev/null

# --- Service ----------------------------------------------------------------------------------------
if [[ "$skip_build" != true ]]; then
  log "Packaging the service (./mvnw -DskipTests package)"
  (cd "$project_dir" && ./mvnw -B -q -o -Dskip.npm -DskipTests package >/dev/null)
fi
jar="$(find "$project_dir/target" -maxdepth 1 -name 'iot-api-*.jar' ! -name '*plain*' | head -n 1)"
[[ -n "$jar" ]] || { echo "No target/iot-api-*.jar; run without --skip-build" >&2; exit 1; }

app_port="$(free_port)"
admin_token="bench-admin-$RANDOM$RANDOM"
url="http://127.0.0.1:$app_port"
log "Starting $(basename "$jar") on $url"
# shellcheck disable=SC2086 # java_opts is a list of JVM options
SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:$pg_port/iot" SPRING_DATASOURCE_USERNAME=postgres \
  SPRING_DATASOURCE_PASSWORD="" IOT_ADMIN_TOKEN="$admin_token" \
  java $java_opts -jar "$jar" --server.port="$app_port" --iot.security.admin-token-file="$work/admin-token" \
  --logging.level.root=WARN >"$work/service.log" 2>&1 &
service_pid=$!
for _ in $(seq 1 180); do
  if curl -fsS "$url/actuator/health" >/dev/null 2>&1; then break; fi
  kill -0 "$service_pid" 2>/dev/null || { cat "$work/service.log" >&2; exit 1; }
  sleep 1
done
curl -fsS "$url/actuator/health" >/dev/null

load() { java "$bench_dir/ReadingsLoad.java" "$@"; }

log "Registering $sensors sensors"
token="$(load setup "$url" "$admin_token" "$sensors" "$work/sensors.txt")"

# The bulk range ends a day ago and spans at least 30 days, so the 30-day aggregate has full buckets.
per_sensor=$(( (readings + sensors - 1) / sensors ))
span=$(( 31 * 86400 ))
step=$(( span / per_sensor )); (( step >= 1 )) || step=1
now=$(date -u +%s)
start=$(( now - 86400 - per_sensor * step ))

# --- 1. batch ingestion vs raw COPY ------------------------------------------------------------------
log "Loading $readings readings in batches of $batch with $clients clients"
http_result="$(load load "$url" "$token" "$work/sensors.txt" "$readings" "$batch" "$clients" "$start" "$step" "$run")"
echo "$http_result" >&2
http_rate="$(sed -E 's/.*readings_per_second=([0-9]+).*/\1/' <<<"$http_result")"

log "Raw COPY baseline of the same rows into the same (emptied) table"
load csv "$work/sensors.txt" "$readings" "$start" "$step" "$work/readings.csv"
psql_ -c "truncate reading" -c "checkpoint"
copy_began=$(date +%s.%N)
psql_ -c "\\copy reading (sensor_id, measured_at, value) from '$work/readings.csv' with (format csv)"
copy_ended=$(date +%s.%N)
rm -f "$work/readings.csv"
copy_rate="$(awk -v n="$readings" -v a="$copy_began" -v b="$copy_ended" 'BEGIN { printf "%.0f", n / (b - a) }')"
psql_ -c "vacuum analyze reading"

# --- 2. single POSTs with wrk ------------------------------------------------------------------------
log "Single-reading POSTs with wrk, 64 connections, $wrk_duration"
wrk_out="$(BENCH_SENSORS_FILE="$work/sensors.txt" BENCH_TOKEN="$token" BENCH_SINGLE_START=$(( now - 60 * 86400 )) \
  wrk -t2 -c64 -d"$wrk_duration" --latency -s "$bench_dir/single-post.lua" "$url")"
echo "$wrk_out" >&2
wrk_rate="$(awk '/Requests\/sec/ { print $2 }' <<<"$wrk_out")"
wrk_p50="$(awk '$1 == "50%" { print $2 }' <<<"$wrk_out")"
wrk_p99="$(awk '$1 == "99%" { print $2 }' <<<"$wrk_out")"
wrk_errors="$(grep -E 'Non-2xx|Socket errors' <<<"$wrk_out" || true)"

# --- 3. query latency --------------------------------------------------------------------------------
to_iso="$(date -u -d "@$(( now - 86400 ))" +%Y-%m-%dT%H:%M:%SZ)"
from_iso="$(date -u -d "@$(( now - 31 * 86400 ))" +%Y-%m-%dT%H:%M:%SZ)"
log "Aggregate and page latency over $(psql_ -t -A -c 'select count(*) from reading') rows"
latency="$(load latency "$url" "$token" "$work/sensors.txt" "$requests" "$from_iso" "$to_iso")"

# --- 4. memory ---------------------------------------------------------------------------------------
rss_kb="$(awk '/VmHWM/ { print $2 }' "/proc/$service_pid/status")"

cat <<REPORT

== readings benchmark ($(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)) ==
readings loaded            : $readings ($sensors sensors, batches of $batch, runs of $run per sensor, $clients clients)
batch ingestion (HTTP)     : $http_rate readings/s
raw COPY, same rows/table  : $copy_rate readings/s
ratio HTTP / COPY          : $(awk -v a="$http_rate" -v b="$copy_rate" 'BEGIN { printf "%.2f", a / b }')
single POST (wrk -c64)     : $wrk_rate requests/s, p50 $wrk_p50, p99 $wrk_p99 ${wrk_errors:+($wrk_errors)}
$latency
peak RSS of the service    : $(( rss_kb / 1024 )) MB
REPORT
