#!/usr/bin/env bash
# Shared helpers of the reliability scripts (sourced, not run): a throw-away PostgreSQL 15, the packaged
# service on 127.0.0.1, and a cleanup that stops everything they started.
# shellcheck shell=bash

rel_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project_dir="$(cd "$rel_dir/../../.." && pwd)"
pg_bin=/usr/lib/postgresql/15/bin
work="$(mktemp -d /tmp/iot-reliability.XXXXXX)"
pg_port=""
admin_token="rel-admin-$RANDOM$RANDOM"
java_opts="-Xms128m -Xmx256m -XX:+UseSerialGC -XX:MaxMetaspaceSize=160m -XX:ReservedCodeCacheSize=64m -Xss512k"
declare -A app_pids=()
declare -a extra_pids=()

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
now_ms() { date +%s%3N; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# PostgreSQL refuses to run as root: then the server runs as the unprivileged user "postgres".
pg_() {
  if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_init() {
  mkdir -p "$work/pg" "$work/run"
  if [[ $EUID -eq 0 ]]; then chown postgres "$work/pg" "$work/run"; chmod 755 "$work"; fi
  pg_port="$(free_port)"
  log "Starting PostgreSQL 15 on 127.0.0.1:$pg_port in $work/pg"
  pg_ "$pg_bin/initdb" -D "$work/pg" -U postgres --auth=trust --encoding=UTF8 >/dev/null
  pg_start
  psql -X -q -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c "create database iot" >/dev/null
}

pg_start() {
  pg_ "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/run/pg.log" -w start -o \
    "-p $pg_port -k $work/run -c listen_addresses=127.0.0.1 -c max_connections=100" >/dev/null
}

pg_stop() { pg_ "$pg_bin/pg_ctl" -D "$work/pg" -m fast -w stop >/dev/null; }

psql_() { psql -X -q -h 127.0.0.1 -p "$pg_port" -U postgres -d iot -v ON_ERROR_STOP=1 "$@"; }

# Builds the jar when it is missing (or when REL_BUILD=always).
ensure_jar() {
  jar="$(find "$project_dir/target" -maxdepth 1 -name 'iot-api-*.jar' ! -name '*plain*' 2>/dev/null | head -n 1)"
  if [[ -z "$jar" || "${REL_BUILD:-}" == always ]]; then
    log "Packaging the service (./mvnw -DskipTests package)"
    (cd "$project_dir" && ./mvnw -B -q -o -DskipTests -Dskip.npm -Dskip.image package >/dev/null)
    jar="$(find "$project_dir/target" -maxdepth 1 -name 'iot-api-*.jar' ! -name '*plain*' | head -n 1)"
  fi
  [[ -n "$jar" ]] || { echo "No target/iot-api-*.jar after packaging" >&2; exit 1; }
}

# app_start <name> <port> [--spring.args...]: starts the jar against the throw-away database, in the background.
app_start() {
  local name="$1" port="$2"
  shift 2
  # shellcheck disable=SC2086 # java_opts is a list of JVM options
  SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:$pg_port/iot" SPRING_DATASOURCE_USERNAME=postgres \
    SPRING_DATASOURCE_PASSWORD="" IOT_ADMIN_TOKEN="$admin_token" \
    java $java_opts -jar "$jar" --server.address=127.0.0.1 --server.port="$port" \
    --iot.security.admin-token-file="$work/admin-token" \
    --iot.backup.filesystem.directory="$work/backups" "$@" >>"$work/$name.log" 2>&1 &
  app_pids[$name]=$!
}

app_kill() {
  local name="$1" signal="${2:-TERM}"
  local pid="${app_pids[$name]:-}"
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill "-$signal" "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  app_pids[$name]=""
}

# readiness <url>: the HTTP status of /actuator/health/readiness (000 when nothing answers).
readiness() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1/actuator/health/readiness" || true
}

# wait_ready <name> <url> <seconds>: waits for readiness UP; fails when the process died or time ran out.
wait_ready() {
  local name="$1" url="$2" limit="$3" deadline
  deadline=$(( $(date +%s) + limit ))
  while [[ "$(readiness "$url")" != 200 ]]; do
    if ! kill -0 "${app_pids[$name]}" 2>/dev/null; then
      tail -n 40 "$work/$name.log" >&2
      echo "FAIL: $name exited before it was ready" >&2
      exit 1
    fi
    if (( $(date +%s) > deadline )); then
      echo "FAIL: $name not ready within ${limit}s" >&2
      exit 1
    fi
    sleep 0.2
  done
}

rel_cleanup() {
  local status=$?
  local name pid
  for pid in "${extra_pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for name in "${!app_pids[@]}"; do
    app_kill "$name" TERM
  done
  if [[ -f "$work/pg/postmaster.pid" ]]; then
    pg_ "$pg_bin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  fi
  if [[ "$status" -ne 0 && -n "${REL_KEEP_ON_FAILURE:-}" ]]; then
    echo "Kept $work for inspection" >&2
  else
    rm -rf "$work"
  fi
  exit "$status"
}

# register <url> <sensors>: an OPERATOR token (printed) and the sensors' ids in $work/sensors.txt.
register() {
  java "$project_dir/src/test/bench/ReadingsLoad.java" setup "$1" "$admin_token" "$2" "$work/sensors.txt"
}

load() { java "$rel_dir/AckLoad.java" "$@"; }

# verify_acknowledged <ackFile>: prints "acknowledged matching lost duplicates" checked in the database.
verify_acknowledged() {
  psql_ -c "create temp table ack (sensor_id uuid, measured_at timestamptz)" \
    -c "\\copy ack from '$1' with (format csv)" -t -A -F ' ' -c "
    select (select count(*) from ack),
           (select count(*) from ack a join reading r using (sensor_id, measured_at)),
           (select count(*) from ack a where not exists
              (select 1 from reading r where r.sensor_id = a.sensor_id and r.measured_at = a.measured_at)),
           (select count(*) from (select 1 from reading group by sensor_id, measured_at having count(*) > 1) d)"
}
