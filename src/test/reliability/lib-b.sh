#!/usr/bin/env bash
# Shared helpers of blob-outage.sh, full-disk.sh and soak.sh: a throw-away PostgreSQL 15 cluster, Azurite and
# the packaged service, all on 127.0.0.1, all stopped by rb_cleanup. Source it; it is not run on its own.
# shellcheck disable=SC2034 # variables set here are read by the scripts that source this file

RB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
RB_PGBIN=/usr/lib/postgresql/15/bin
RB_AZURITE="$RB_ROOT/src/test/tools/node_modules/.bin/azurite-blob"
RB_TOKEN=reliability-admin-token
RB_AZURE_KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
RB_WORK=""
RB_PGPORT=""
RB_SERVICE_PID=""
RB_AZURITE_PID=""
RB_AZURITE_PORT=""
RB_URL=""
RB_JAR=""
RB_FAILURES=0
RB_EXTRA_CLEANUP=()

rb_log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# Records one check: prints it with its figure and remembers a failure for the exit status.
rb_check() {
  local name="$1" ok="$2" figure="$3"
  if [[ "$ok" == true ]]; then
    printf 'PASS  %s: %s\n' "$name" "$figure"
  else
    printf 'FAIL  %s: %s\n' "$name" "$figure"
    RB_FAILURES=$((RB_FAILURES + 1))
  fi
}

rb_require() {
  local tool
  for tool in "$RB_PGBIN/initdb" "$RB_PGBIN/pg_ctl" pg_dump psql java curl python3; do
    command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
  done
}

# PostgreSQL refuses to run as root: use the postgres account then.
rb_as_pg() {
  if [[ "$(id -u)" -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

rb_free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

rb_workdir() {
  RB_WORK="$(mktemp -d "/tmp/iot-reliability-$1.XXXXXX")"
  chmod 755 "$RB_WORK"
}

rb_cleanup() {
  local status=$?
  local action
  for action in "${RB_EXTRA_CLEANUP[@]}"; do eval "$action" || true; done
  if [[ -n "$RB_SERVICE_PID" ]]; then
    kill "$RB_SERVICE_PID" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$RB_SERVICE_PID" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$RB_SERVICE_PID" 2>/dev/null || true
  fi
  rb_stop_azurite
  if [[ -n "$RB_WORK" && -d "$RB_WORK/pg" ]]; then
    rb_as_pg "$RB_PGBIN/pg_ctl" -D "$RB_WORK/pg" -m immediate stop >/dev/null 2>&1 || true
  fi
  if [[ -n "$RB_WORK" ]]; then
    if [[ "${RB_KEEP:-false}" == true || $status -ne 0 ]]; then
      echo "work directory kept: $RB_WORK" >&2
    else
      rm -rf "$RB_WORK"
    fi
  fi
  exit "$status"
}

# Cleans up on exit, and names the command that failed when a script stops on an error.
rb_traps() {
  trap rb_cleanup EXIT
  trap 'rb_log "stopped: line $LINENO: $BASH_COMMAND failed"' ERR
}

rb_find_jar() {
  if [[ -n "$RB_JAR" ]]; then return 0; fi
  RB_JAR="$(find "$RB_ROOT/target" -maxdepth 1 -name 'iot-api-*.jar' ! -name '*plain*' 2>/dev/null | head -1)"
  if [[ -z "$RB_JAR" ]]; then
    rb_log "building the service jar"
    (cd "$RB_ROOT" && ./mvnw -B -q -o -Dskip.npm -Dskip.image -DskipTests package >/dev/null)
    RB_JAR="$(find "$RB_ROOT/target" -maxdepth 1 -name 'iot-api-*.jar' ! -name '*plain*' | head -1)"
  fi
}

# Starts a PostgreSQL 15 cluster (trust authentication, 127.0.0.1, free port) with an empty database iot.
rb_start_pg() {
  RB_PGPORT="$(rb_free_port)"
  export PGHOST=127.0.0.1 PGPORT="$RB_PGPORT" PGUSER=postgres
  mkdir -p "$RB_WORK/pg" "$RB_WORK/pglog"
  if [[ "$(id -u)" -eq 0 ]]; then chown postgres "$RB_WORK/pg" "$RB_WORK/pglog"; fi
  rb_log "starting PostgreSQL 15 on port $RB_PGPORT"
  rb_as_pg "$RB_PGBIN/initdb" -D "$RB_WORK/pg" -U postgres -A trust >/dev/null
  rb_as_pg "$RB_PGBIN/pg_ctl" -D "$RB_WORK/pg" \
    -o "-p $RB_PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c max_wal_size=2GB -c fsync=off" \
    -l "$RB_WORK/pglog/pg.log" -w start >/dev/null
  psql -q -d postgres -c "create database iot"
}

# Fills the database with about $1 MB of poorly compressible rows in its own schema (Flyway refuses a
# non-empty public schema without its history), so that the dump is large and takes a few seconds.
rb_fill_db() {
  local rows=$(($1 * 1024 * 1024 / 110))
  rb_log "generating about $1 MB of filler rows"
  psql -q -d iot <<SQL
create schema filler;
create table filler.blob (id bigint primary key, payload text not null);
insert into filler.blob select s, md5(random()::text) || md5(random()::text) from generate_series(1, $rows) s;
vacuum analyze filler.blob;
SQL
  psql -Atq -d iot -c "select pg_size_pretty(pg_database_size('iot'))"
}

# Starts Azurite with its data in $RB_WORK/azurite (kept across a restart) on RB_AZURITE_PORT (chosen once).
rb_start_azurite() {
  [[ -x "$RB_AZURITE" ]] || { echo "missing: $RB_AZURITE (run ./mvnw -o test-compile once)" >&2; exit 1; }
  if [[ -z "$RB_AZURITE_PORT" ]]; then RB_AZURITE_PORT="$(rb_free_port)"; fi
  mkdir -p "$RB_WORK/azurite"
  (cd "$RB_WORK/azurite" && exec "$RB_AZURITE" --blobHost 127.0.0.1 --blobPort "$RB_AZURITE_PORT" \
    --location "$RB_WORK/azurite" --skipApiVersionCheck --silent) >>"$RB_WORK/azurite.log" 2>&1 &
  RB_AZURITE_PID=$!
  for _ in $(seq 1 60); do
    curl -s -o /dev/null "http://127.0.0.1:$RB_AZURITE_PORT/devstoreaccount1?comp=list" && return 0
    sleep 0.5
  done
  echo "Azurite did not start; see $RB_WORK/azurite.log" >&2
  exit 1
}

# Azurite ignores SIGTERM: SIGKILL it.
rb_stop_azurite() {
  if [[ -n "$RB_AZURITE_PID" ]]; then
    kill -9 "$RB_AZURITE_PID" 2>/dev/null || true
    wait "$RB_AZURITE_PID" 2>/dev/null || true
    RB_AZURITE_PID=""
  fi
}

rb_azure_connection_string() {
  printf 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=%s;BlobEndpoint=http://127.0.0.1:%s/devstoreaccount1;' \
    "$RB_AZURE_KEY" "$RB_AZURITE_PORT"
}

# Starts the packaged service against the cluster; extra arguments are Spring properties (--key=value).
rb_start_service() {
  local port
  local -a java_opts
  read -ra java_opts <<<"${RB_JAVA_OPTS:--Xmx384m}"
  port="$(rb_free_port)"
  RB_URL="http://127.0.0.1:$port"
  IOT_ADMIN_TOKEN="$RB_TOKEN" java "${java_opts[@]}" -jar "$RB_JAR" --server.port="$port" \
    --spring.datasource.url="jdbc:postgresql://127.0.0.1:$RB_PGPORT/iot" --spring.datasource.username=postgres \
    --spring.datasource.password= --iot.security.admin-token-file="$RB_WORK/admin-token" "$@" \
    >"$RB_WORK/service.log" 2>&1 &
  RB_SERVICE_PID=$!
  for _ in $(seq 1 240); do
    curl -fs "$RB_URL/actuator/health/readiness" >/dev/null 2>&1 && return 0
    kill -0 "$RB_SERVICE_PID" 2>/dev/null || break
    sleep 1
  done
  echo "service did not start; see $RB_WORK/service.log" >&2
  exit 1
}

rb_api() { curl -sS -m 30 -H "Authorization: Bearer $RB_TOKEN" -H 'Content-Type: application/json' "$@"; }

# HTTP status of a request (body to $RB_WORK/last-body).
rb_status() { rb_api -o "$RB_WORK/last-body" -w '%{http_code}' "$@" || echo 000; }

rb_json() { python3 -c 'import json,sys; v=json.load(sys.stdin).get(sys.argv[1]); print("" if v is None else v)' "$1"; }

# Waits (at most $2 seconds) until backup $1 is no longer RUNNING; prints its JSON.
rb_wait_backup() {
  local body deadline=$((SECONDS + $2))
  while ((SECONDS < deadline)); do
    body="$(rb_api "$RB_URL/actuator/backups/$1")"
    if [[ "$(rb_json status <<<"$body")" != RUNNING ]]; then printf '%s' "$body"; return 0; fi
    sleep 0.2
  done
  printf '%s' "$body"
}

# Sum of a Prometheus sample family whose line matches the extended regex $1.
rb_metric() {
  rb_api "$RB_URL/actuator/prometheus" | awk -v pattern="^$1" '$0 ~ pattern { s += $NF } END { printf "%g", s + 0 }'
}

rb_create_sensor() {
  rb_api -X POST "$RB_URL/api/sensors" -d "{\"name\":\"$1\",\"kind\":\"TEMPERATURE\",\"site\":\"reliability\"}" | rb_json id
}
