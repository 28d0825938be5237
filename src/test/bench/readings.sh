#!/usr/bin/env bash
# Benchmark of the ingestion path against a throw-away PostgreSQL 15 and the packaged jar, with the raw
# database baselines (COPY, pgbench) measured on the same server in the same run.
set -euo pipefail
shopt -s inherit_errexit

usage() {
  cat <<'USAGE'
Usage: src/test/bench/readings.sh [options]

Starts its own PostgreSQL 15 (initdb in a temporary directory, free port), starts the packaged service
against it, registers the sensors and three alert rules that match every one of them (enabled throughout),
and measures in one run, printing each ratio:
  1. worst-case batches (--run 1: 1,000 sensors x 1 reading per batch) through POST /api/readings, and a raw
     COPY of the same rows into the same emptied table;
  2. gateway batches (--gateway-run 100: 10 sensors x 100 readings per batch), and a raw COPY of the same rows;
     while both run, a probe sensor posts a breaching reading every 3 s and the time until its alert is open
     is measured (target <= 2 s);
  3. pgbench, one INSERT per transaction into the reading table, 64 clients, then single-reading
     POST /api/sensors/{id}/readings with each sensor's device token, wrk 64 connections: ratio, p50/p99, errors;
  4. p50/p95 of a 30-day hourly aggregate and of a 1,000-reading page on the loaded table;
  5. the service's peak RSS (VmHWM) over the whole run, and the load average before and after (the machine
     may be shared: ratios within one run are what compare).
Everything is removed afterwards. Not part of ./mvnw verify.

Options:
  --readings N        readings of the gateway phase (default 10000000)
  --worst-readings N  readings of the worst-case phase (default 200000)
  --sensors N         sensors (default 1000)
  --batch N           readings per request (default 1000)
  --clients N         concurrent batch clients (default 4)
  --gateway-run N     consecutive readings of one sensor in a gateway batch (default 100); must divide the
                      readings per sensor
  --wrk-duration D    duration of the single-POST run and of pgbench (default 20s)
  --requests N        requests per latency measurement (default 200)
  --java-opts OPTS    JVM options of the service (default: 256 MB heap, serial GC, capped metaspace
                      and code cache)
  --profile DIR       record a JFR file of the service and the top statements of pg_stat_statements into DIR
  --skip-build        use target/iot-api-*.jar as it is
  --jar FILE          benchmark this jar (e.g. a copy of an earlier build) instead of building one
  -h, --help          this help

Needs: /usr/lib/postgresql/15/bin (Debian postgresql-15), psql, pgbench, wrk, a JDK >= 17, curl, python3.
USAGE
}

readings=10000000
worst_readings=200000
sensors=1000
batch=1000
clients=4
gateway_run=100
wrk_duration=20s
requests=200
java_opts="-Xms256m -Xmx256m -XX:+UseSerialGC -XX:MaxMetaspaceSize=160m -XX:ReservedCodeCacheSize=64m -Xss512k"
profile_dir=""
skip_build=false
jar=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --readings) readings="$2"; shift 2 ;;
    --worst-readings) worst_readings="$2"; shift 2 ;;
    --sensors) sensors="$2"; shift 2 ;;
    --batch) batch="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    --gateway-run) gateway_run="$2"; shift 2 ;;
    --wrk-duration) wrk_duration="$2"; shift 2 ;;
    --requests) requests="$2"; shift 2 ;;
    --java-opts) java_opts="$2"; shift 2 ;;
    --profile) profile_dir="$(mkdir -p "$2" && cd "$2" && pwd)"; shift 2 ;;
    --skip-build) skip_build=true; shift ;;
    --jar) jar="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; skip_build=true; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "Unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done

if (( readings % sensors != 0 || (readings / sensors) % gateway_run != 0 || worst_readings % sensors != 0 )); then
  echo "--sensors must divide --readings and --worst-readings, and --gateway-run the readings per sensor" >&2
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
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
load_average() { cut -d' ' -f1-3 /proc/loadavg; }

# --- PostgreSQL -------------------------------------------------------------------------------------
# PostgreSQL refuses to run as root: then the server runs as the unprivileged user "postgres".
pg_() {
  if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}
mkdir -p "$work/pg" "$work/run"
if [[ $EUID -eq 0 ]]; then chown postgres "$work/pg" "$work/run"; chmod 755 "$work"; fi
pg_port="$(free_port)"
load_before="$(load_average)"
log "Starting PostgreSQL 15 on 127.0.0.1:$pg_port in $work/pg (load average $load_before)"
pg_ "$pg_bin/initdb" -D "$work/pg" -U postgres --auth=trust --encoding=UTF8 >/dev/null
pg_ "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/run/pg.log" -w start -o \
  "-p $pg_port -k $work/run -c listen_addresses=127.0.0.1 -c shared_buffers=512MB -c max_wal_size=8GB -c checkpoint_timeout=30min -c max_connections=120 -c shared_preload_libraries=pg_stat_statements" >/dev/null
psql_() { psql -X -q -h 127.0.0.1 -p "$pg_port" -U postgres -d iot -v ON_ERROR_STOP=1 "$@"; }
psql -X -q -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c "create database iot" >/dev/null
psql_ -c "create extension pg_stat_statements"

# --- Service ----------------------------------------------------------------------------------------
if [[ "$skip_build" != true ]]; then
  log "Packaging the service (./mvnw -DskipTests package)"
  (cd "$project_dir" && ./mvnw -B -q -o -Dskip.npm -Dskip.image -DskipTests package >/dev/null)
fi
[[ -n "$jar" ]] || jar="$(find "$project_dir/target" -maxdepth 1 -name 'iot-api-*.jar' ! -name '*plain*' | head -n 1)"
[[ -n "$jar" && -f "$jar" ]] || { echo "No jar to run; run without --skip-build" >&2; exit 1; }

if [[ -n "$profile_dir" ]]; then
  java_opts="$java_opts -XX:StartFlightRecording=filename=$profile_dir/service.jfr,settings=profile,dumponexit=true"
fi
app_port="$(free_port)"
admin_token="bench-admin-$RANDOM$RANDOM"
url="http://127.0.0.1:$app_port"
log "Starting $(basename "$jar") on $url with $java_opts"
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

# Waits until the service has spent less than 0.1 s of CPU in a second (at most a minute): work left over
# from one phase (alert evaluation catching up) must not slow the next phase's baseline down.
wait_idle() {
  local before after
  for _ in $(seq 1 60); do
    before="$(awk '{ print $14 + $15 }' "/proc/$service_pid/stat")"
    sleep 1
    after="$(awk '{ print $14 + $15 }' "/proc/$service_pid/stat")"
    (( after - before < $(getconf CLK_TCK) / 10 )) && return 0
  done
  log "The service is still busy after a minute; going on"
}

# Loads the rows through HTTP (with the alert probe), then COPYs the very same rows into the emptied table.
# Prints "<http readings/s> <copy readings/s> <batches answered 503> <probe result>".
http_and_copy() {
  local count="$1" run="$2" per_sensor step start result copy_began copy_ended
  per_sensor=$(( count / sensors ))
  step=$(( 31 * 86400 / per_sensor )); (( step >= 1 )) || step=1
  start=$(( now - 86400 - per_sensor * step ))
  psql_ -c "truncate reading"
  result="$(load load "$url" "$token" "$work/sensors.txt" "$count" "$batch" "$clients" "$start" "$step" "$run" "$work/probe.txt")"
  echo "$result" >&2
  wait_idle
  load csv "$work/sensors.txt" "$count" "$start" "$step" "$work/readings.csv"
  psql_ -c "truncate reading" -c "checkpoint"
  copy_began=$(date +%s.%N)
  psql_ -c "\\copy reading (sensor_id, measured_at, value, tx) from '$work/readings.csv' with (format csv)"
  copy_ended=$(date +%s.%N)
  rm -f "$work/readings.csv"
  printf '%s %s %s %s\n' "$(sed -E 's/.*readings_per_second=([0-9]+).*/\1/' <<<"$result")" \
    "$(awk -v n="$count" -v a="$copy_began" -v b="$copy_ended" 'BEGIN { printf "%.0f", n / (b - a) }')" \
    "$(sed -E 's/.*refused_503=([0-9]+).*/\1/' <<<"$result")" \
    "$(grep -oE 'alert_latency.*' <<<"$result" || echo 'alert_latency samples=0')"
}

log "Registering $sensors sensors, three alert rules and the probe sensor"
token="$(load setup "$url" "$admin_token" "$sensors" "$work")"
now=$(date -u +%s)

# --- 1. worst case: one reading of each of 1,000 sensors per batch ---------------------------------------
log "Worst case: $worst_readings readings, batches of $batch, one reading per sensor, $clients clients"
worst="$(http_and_copy "$worst_readings" 1)"
read -r worst_rate worst_copy worst_refused worst_probe <<<"$worst"

# --- 2. gateway batches ----------------------------------------------------------------------------------
log "Gateway: $readings readings, batches of $batch, $gateway_run consecutive readings per sensor, $clients clients"
gateway="$(http_and_copy "$readings" "$gateway_run")"
read -r http_rate copy_rate gateway_refused gateway_probe <<<"$gateway"
psql_ -c "vacuum analyze reading"

# --- 3. pgbench, then single POSTs with device tokens --------------------------------------------------------
wait_idle
log "pgbench: one INSERT per transaction into reading, 64 clients, $wrk_duration"
cat >"$work/insert.sql" <<'SQL'
\set s random(1, 1000)
\set t random(1, 3000000000)
insert into reading (sensor_id, measured_at, value, tx) values (md5(:s::text)::uuid, now() - :t * interval '1 microsecond', 21.5, 0) on conflict do nothing;
SQL
pgbench_out="$(pgbench -n -M prepared -c 64 -j 2 -T "${wrk_duration%s}" -f "$work/insert.sql" -h 127.0.0.1 -p "$pg_port" -U postgres iot 2>&1)"
echo "$pgbench_out" >&2
pgbench_tps="$(awk '/^tps/ { printf "%.0f", $3; exit }' <<<"$pgbench_out")"

wait_idle
log "Single-reading POSTs with device tokens, wrk 64 connections, $wrk_duration"
wrk_out="$(BENCH_DEVICES_FILE="$work/devices.txt" BENCH_SINGLE_START=$(( $(date -u +%s) - 600 )) \
  wrk -t2 -c64 -d"$wrk_duration" --latency -s "$bench_dir/single-post.lua" "$url")"
echo "$wrk_out" >&2
wrk_rate="$(awk '/Requests\/sec/ { printf "%.0f", $2 }' <<<"$wrk_out")"
wrk_p50="$(awk '$1 == "50%" { print $2 }' <<<"$wrk_out")"
wrk_p99="$(awk '$1 == "99%" { print $2 }' <<<"$wrk_out")"
wrk_errors="$(grep -E 'Non-2xx|Socket errors' <<<"$wrk_out" | tr -s ' \n' ' ' || true)"

# --- 4. query latency --------------------------------------------------------------------------------
to_iso="$(date -u -d "@$(( now - 86400 ))" +%Y-%m-%dT%H:%M:%SZ)"
from_iso="$(date -u -d "@$(( now - 31 * 86400 ))" +%Y-%m-%dT%H:%M:%SZ)"
log "Aggregate and page latency over $(psql_ -t -A -c 'select count(*) from reading') rows"
latency="$(load latency "$url" "$token" "$work/sensors.txt" "$requests" "$from_iso" "$to_iso")"

# --- 5. memory, profile ------------------------------------------------------------------------------
rss_kb="$(awk '/VmHWM/ { print $2 }' "/proc/$service_pid/status")"
load_after="$(load_average)"
if [[ -n "$profile_dir" ]]; then
  psql_ -c "\\copy (select calls, round(total_exec_time) as total_ms, round(mean_exec_time::numeric, 3) as mean_ms, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 220) as query from pg_stat_statements order by total_exec_time desc limit 40) to '$profile_dir/pg_stat_statements.csv' with (format csv, header)"
  cp "$work/service.log" "$profile_dir/service.log"
fi

cat <<REPORT

== ingestion benchmark ($(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), load average $load_before before, $load_after after) ==
worst case, 1,000 sensors x 1 per batch : $worst_rate readings/s, raw COPY of the same rows $worst_copy/s, ratio $(ratio "$worst_rate" "$worst_copy") (target >= 0.3); $worst_refused batch(es) answered 503 and were sent again
  alert latency meanwhile               : $worst_probe
gateway, $(( batch / gateway_run )) sensors x $gateway_run per batch        : $http_rate readings/s, raw COPY of the same rows $copy_rate/s, ratio $(ratio "$http_rate" "$copy_rate") (target >= 0.5); $gateway_refused batch(es) answered 503 and were sent again
  alert latency meanwhile               : $gateway_probe (target max <= 2000 ms)
pgbench, 1 INSERT per transaction, -c64 : $pgbench_tps tps
single POST, device tokens, wrk -c64    : $wrk_rate requests/s, ratio $(ratio "$wrk_rate" "$pgbench_tps") (target >= 0.5), p50 $wrk_p50, p99 $wrk_p99 (target <= 100ms)${wrk_errors:+, $wrk_errors}
$latency
peak RSS of the service                 : $(( rss_kb / 1024 )) MB (target <= 512 MB; $java_opts)
REPORT
