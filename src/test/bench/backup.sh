#!/usr/bin/env bash
# Benchmark of the backup module against raw pg_dump/pg_restore on the same database, in the same run.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: src/test/bench/backup.sh [--size <MB>] [--jar <path>] [--keep]

Generates a database of about <MB> megabytes (default 1024) of sensor readings in a throw-away PostgreSQL 15
cluster, starts the service (packaged jar) against it and measures, in the same run:
  - backup through the service to the filesystem store and to Azurite, vs `pg_dump -Fc > /dev/null`;
  - a restore drill (scratch database) vs plain `pg_restore` of the same dump into an empty database;
  - a live restore vs plain `pg_restore --clean --single-transaction` into the live database;
  - the service's peak RSS during backups and restores.
Prints ratios (service / raw); targets: backup <= 1.15x, restore <= 1.2x.

Options:
  --size <MB>   approximate database size to generate (default 1024)
  --jar <path>  service jar (default: built with ./mvnw -o -DskipTests package)
  --keep        keep the work directory (cluster, dumps, logs) for inspection
  --help        this text

Needs: PostgreSQL 15 server binaries (/usr/lib/postgresql/15/bin), pg_dump/pg_restore/psql, java, curl,
and the Azurite of src/test/tools (run ./mvnw test-compile once). Uses only 127.0.0.1.
EOF
}

SIZE_MB=1024
JAR=""
KEEP=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --size) SIZE_MB="$2"; shift 2 ;;
    --jar) JAR="$2"; shift 2 ;;
    --keep) KEEP=true; shift ;;
    --help|-h) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
PGBIN=/usr/lib/postgresql/15/bin
AZURITE="$ROOT/src/test/tools/node_modules/.bin/azurite-blob"
TOKEN=bench-admin-token
for tool in "$PGBIN/initdb" "$PGBIN/pg_ctl" pg_dump pg_restore psql java curl "$AZURITE"; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done

# PostgreSQL refuses to run as root: use the postgres account then
as_pg() {
  if [[ "$(id -u)" -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}
WORK="$(mktemp -d /tmp/iot-backup-bench.XXXXXX)"
SERVICE_PID=""
AZURITE_PID=""
SAMPLER_PID=""
cleanup() {
  if [[ -n "$SAMPLER_PID" ]]; then kill "$SAMPLER_PID" 2>/dev/null || true; fi
  if [[ -n "$SERVICE_PID" ]]; then
    kill "$SERVICE_PID" 2>/dev/null || true
    wait "$SERVICE_PID" 2>/dev/null || true
  fi
  # Azurite ignores SIGTERM
  if [[ -n "$AZURITE_PID" ]]; then kill -9 "$AZURITE_PID" 2>/dev/null || true; fi
  as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true
  if [[ "$KEEP" == true ]]; then echo "work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

if [[ -z "$JAR" ]]; then
  log "building the service jar"
  (cd "$ROOT" && ./mvnw -B -q -o -Dskip.npm -DskipTests package >/dev/null)
  JAR="$(find "$ROOT/target" -maxdepth 1 -name 'iot-api-*.jar' ! -name '*plain*' | head -1)"
fi

PGPORT="$(free_port)"
export PGHOST=127.0.0.1 PGPORT PGUSER=postgres
log "starting PostgreSQL 15 on port $PGPORT"
chmod 755 "$WORK"
mkdir -p "$WORK/pg" "$WORK/pglog"
if [[ "$(id -u)" -eq 0 ]]; then chown postgres "$WORK/pg" "$WORK/pglog"; fi
as_pg "$PGBIN/initdb" -D "$WORK/pg" -U postgres -A trust >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -o "-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c max_wal_size=4GB" \
  -l "$WORK/pglog/pg.log" -w start >/dev/null
psql -q -d postgres -c "create database iot"

log "generating about ${SIZE_MB} MB of readings"
ROWS=$((SIZE_MB * 9000))
# in its own schema: Flyway refuses to start on a non-empty public schema without its history
psql -q -d iot <<SQL
create schema bench;
create table bench.bench_reading (sensor_id uuid not null, time timestamptz not null, value double precision not null,
                            primary key (sensor_id, time));
insert into bench.bench_reading
select ('00000000-0000-0000-0000-' || lpad(to_hex(s % 500), 12, '0'))::uuid,
       timestamptz '2026-01-01' + (s / 500) * interval '1 second', random() * 40
from generate_series(1, $ROWS) s;
vacuum analyze bench.bench_reading;
SQL
DB_SIZE="$(psql -Atq -d iot -c "select pg_size_pretty(pg_database_size('iot'))")"
log "database size: $DB_SIZE"

rss_now() { awk '/VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$SERVICE_PID/status"; }
peak_rss_start() {
  : >"$WORK/rss"
  (while kill -0 "$SERVICE_PID" 2>/dev/null; do
     awk '/VmRSS/ { print $2 }' "/proc/$SERVICE_PID/status" >>"$WORK/rss" 2>/dev/null || true
     sleep 0.2
   done) &
  SAMPLER_PID=$!
}
peak_rss_stop() {
  kill "$SAMPLER_PID" 2>/dev/null || true
  wait "$SAMPLER_PID" 2>/dev/null || true
  SAMPLER_PID=""
  sort -n "$WORK/rss" | tail -1 | awk '{ printf "%d", $1 / 1024 }'
}

start_service() {
  local port
  port="$(free_port)"
  URL="http://127.0.0.1:$port"
  IOT_ADMIN_TOKEN="$TOKEN" java -Xmx512m -jar "$JAR" --server.port="$port" \
    --spring.datasource.url="jdbc:postgresql://127.0.0.1:$PGPORT/iot" --spring.datasource.username=postgres \
    --spring.datasource.password= --iot.security.admin-token-file="$WORK/admin-token" \
    --iot.scheduling.enabled=false "$@" >"$WORK/service.log" 2>&1 &
  SERVICE_PID=$!
  for _ in $(seq 1 240); do
    curl -fs "$URL/actuator/health/liveness" >/dev/null 2>&1 && return 0
    curl -fs "$URL/actuator/health" >/dev/null 2>&1 && return 0
    sleep 1
  done
  echo "service did not start; see $WORK/service.log" >&2
  exit 1
}
stop_service() {
  kill "$SERVICE_PID"
  wait "$SERVICE_PID" 2>/dev/null || true
  SERVICE_PID=""
}
api() { curl -fsS -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"; }
json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin).get(sys.argv[1]) or "")' "$1"; }
wait_backup() {
  local status
  while true; do
    status="$(api "$URL/actuator/backups/$1" | json_field status)"
    [[ "$status" != RUNNING ]] && break
    sleep 0.2
  done
  [[ "$status" == SUCCEEDED ]] || { echo "backup $1 $status" >&2; exit 1; }
}
wait_restore() {
  local body status
  while true; do
    body="$(api "$URL/actuator/restore")"
    status="$(json_field status <<<"$body")"
    [[ "$(json_field id <<<"$body")" == "$1" && "$status" != RUNNING ]] && break
    sleep 0.2
  done
  [[ "$status" == SUCCEEDED ]] || { echo "restore $1: $body" >&2; exit 1; }
}
service_backup() {
  local started id
  started="$(now)"
  id="$(api -X POST "$URL/actuator/backups" -d '{"label":"bench"}' | json_field id)"
  wait_backup "$id"
  BACKUP_ID="$id"
  BACKUP_SECONDS="$(elapsed "$started" "$(now)")"
}

pg_dump -Fc -d iot -f "$WORK/plain.dump"
DUMP_SIZE="$(du -m "$WORK/plain.dump" | cut -f1)"

start_service --iot.backup.store=filesystem --iot.backup.filesystem.directory="$WORK/backups"
RSS_IDLE="$(rss_now)"
log "raw baseline: pg_dump -Fc > /dev/null"
t0="$(now)"; pg_dump -Fc -d iot >/dev/null; RAW_DUMP="$(elapsed "$t0" "$(now)")"
log "service backup to the filesystem store"
peak_rss_start
service_backup
FS_BACKUP="$BACKUP_SECONDS"; FS_ID="$BACKUP_ID"
RSS_BACKUP_FS="$(peak_rss_stop)"

log "raw baseline: pg_restore into an empty database"
psql -q -d postgres -c "create database plain_restore"
t0="$(now)"
pg_restore --single-transaction --exit-on-error --no-owner -d plain_restore "$WORK/plain.dump"
RAW_RESTORE="$(elapsed "$t0" "$(now)")"
psql -q -d postgres -c "drop database plain_restore"

log "service restore drill (scratch database) of the same data"
peak_rss_start
t0="$(now)"
id="$(api -X POST "$URL/actuator/restore" -d "{\"backupId\":\"$FS_ID\",\"target\":\"scratch\"}" | json_field id)"
wait_restore "$id"
DRILL="$(elapsed "$t0" "$(now)")"
RSS_DRILL="$(peak_rss_stop)"

log "raw baseline: pg_restore --clean --single-transaction into the live database"
t0="$(now)"
pg_restore --clean --if-exists --single-transaction --exit-on-error --no-owner -d iot "$WORK/plain.dump"
RAW_LIVE="$(elapsed "$t0" "$(now)")"

log "service live restore (includes its PRE_RESTORE backup)"
peak_rss_start
t0="$(now)"
id="$(api -X POST "$URL/actuator/restore" -d "{\"backupId\":\"$FS_ID\",\"confirm\":\"$FS_ID\"}" | json_field id)"
wait_restore "$id"
LIVE="$(elapsed "$t0" "$(now)")"
RSS_LIVE="$(peak_rss_stop)"
PRE_RESTORE="$(api "$URL/actuator/backups" | python3 -c '
import json, sys, re
items = [b for b in json.load(sys.stdin) if b["trigger"] == "PRE_RESTORE"]
d = items[0]["duration"]
m = re.match(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?", d)
h, mi, s = (float(x) if x else 0 for x in m.groups())
print(f"{h*3600+mi*60+s:.2f}")')"
LIVE_WITHOUT_BACKUP="$(awk -v a="$LIVE" -v b="$PRE_RESTORE" 'BEGIN { printf "%.2f", a - b }')"
stop_service

log "service backup to Azurite"
AZ_PORT="$(free_port)"
mkdir -p "$WORK/azurite"
(cd "$WORK/azurite" && exec "$AZURITE" --blobHost 127.0.0.1 --blobPort "$AZ_PORT" --inMemoryPersistence \
  --skipApiVersionCheck --silent) >"$WORK/azurite.log" 2>&1 &
AZURITE_PID=$!
KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
CONN="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$KEY;BlobEndpoint=http://127.0.0.1:$AZ_PORT/devstoreaccount1;"
start_service --iot.backup.store=azure --iot.backup.azure.connection-string="$CONN"
RSS_IDLE_AZ="$(rss_now)"
log "raw baseline again (same conditions as the Azurite run)"
t0="$(now)"; pg_dump -Fc -d iot >/dev/null; RAW_DUMP2="$(elapsed "$t0" "$(now)")"
peak_rss_start
service_backup
AZ_BACKUP="$BACKUP_SECONDS"
RSS_BACKUP_AZ="$(peak_rss_stop)"
stop_service

cat <<EOF

Backup benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, database $DB_SIZE, dump ${DUMP_SIZE} MB)
| operation | service s | raw s | ratio | service RSS idle -> peak MB |
|---|---|---|---|---|
| backup to filesystem vs pg_dump -Fc > /dev/null | $FS_BACKUP | $RAW_DUMP | $(ratio "$FS_BACKUP" "$RAW_DUMP") | $RSS_IDLE -> $RSS_BACKUP_FS |
| backup to Azurite vs pg_dump -Fc > /dev/null | $AZ_BACKUP | $RAW_DUMP2 | $(ratio "$AZ_BACKUP" "$RAW_DUMP2") | $RSS_IDLE_AZ -> $RSS_BACKUP_AZ |
| restore drill (verify, restore, count, drop) vs pg_restore into an empty DB | $DRILL | $RAW_RESTORE | $(ratio "$DRILL" "$RAW_RESTORE") | $RSS_IDLE -> $RSS_DRILL |
| live restore without its PRE_RESTORE backup vs pg_restore --clean --single-transaction | $LIVE_WITHOUT_BACKUP | $RAW_LIVE | $(ratio "$LIVE_WITHOUT_BACKUP" "$RAW_LIVE") | $RSS_IDLE -> $RSS_LIVE |
| live restore total (PRE_RESTORE backup of ${PRE_RESTORE} s included) | $LIVE | $RAW_LIVE | $(ratio "$LIVE" "$RAW_LIVE") | $RSS_IDLE -> $RSS_LIVE |
EOF
