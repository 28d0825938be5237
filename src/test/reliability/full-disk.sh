#!/usr/bin/env bash
# Fault test: the filesystem backup store runs out of space in the middle of a dump.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: src/test/reliability/full-disk.sh [--size <MB>] [--tmpfs <MB>] [--jar <path>] [--keep]

Must run as root (it mounts a tmpfs). Starts a throw-away PostgreSQL 15 cluster filled with about <MB>
megabytes (default 120) of poorly compressible rows, whose dump is larger than a small tmpfs (default 20 MB)
mounted as iot.backup.filesystem.directory, and the packaged service. Then:
  1. takes a backup (POST /actuator/backups): it must end FAILED with a reason naming the lack of space;
  2. checks iot_backup_failures_total grew by one and the failed backup is not listed as SUCCEEDED;
  3. checks the tmpfs holds no partial file (*.partial) and no dump without its manifest;
  4. checks the service stays healthy (readiness UP, GET/POST /api/sensors answer 2xx);
  5. grows the tmpfs (mount -o remount,size=...) and checks the next backup SUCCEEDS.
Prints PASS/FAIL per check with its figure; exits non-zero when a check fails. Only 127.0.0.1; bounded
(about 2 minutes, fewer than 1,000 requests). The tmpfs is unmounted and everything stopped on exit.

Options:
  --size <MB>    filler data to generate (default 120)
  --tmpfs <MB>   size of the small tmpfs (default 20)
  --jar <path>   service jar (default target/iot-api-*.jar, built when missing)
  --keep         keep the work directory (cluster, logs)
  -h, --help     this text

Needs: root, /usr/lib/postgresql/15/bin, pg_dump, psql, java, curl, python3.
USAGE
}

SIZE_MB=120
TMPFS_MB=20
RB_KEEP=false
# shellcheck source-path=SCRIPTDIR source=lib-b.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib-b.sh"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --size) SIZE_MB="$2"; shift 2 ;;
    --tmpfs) TMPFS_MB="$2"; shift 2 ;;
    --jar) RB_JAR="$2"; shift 2 ;;
    --keep) RB_KEEP=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done

[[ "$(id -u)" -eq 0 ]] || { echo "full-disk.sh mounts a tmpfs: run it as root" >&2; exit 1; }
rb_require
rb_traps
rb_workdir full-disk
STORE="$RB_WORK/store"
mkdir -p "$STORE"
mount -t tmpfs -o "size=${TMPFS_MB}m" tmpfs "$STORE"
# unmounted before the work directory is removed (rb_cleanup runs these first)
RB_EXTRA_CLEANUP+=("umount '$STORE'")
rb_find_jar
rb_start_pg
DB_SIZE="$(rb_fill_db "$SIZE_MB")"
RAW_DUMP_MB="$(pg_dump -Fc -d iot | wc -c | awk '{ printf "%.1f", $1 / 1048576 }')"
rb_log "database $DB_SIZE, pg_dump -Fc is $RAW_DUMP_MB MB, store is a ${TMPFS_MB} MB tmpfs"
rb_start_service --iot.backup.store=filesystem --iot.backup.filesystem.directory="$STORE" --iot.scheduling.enabled=false

FAILURES_BEFORE="$(rb_metric 'iot_backup_failures_total')"
T0=$SECONDS
BACKUP_ID="$(rb_api -X POST "$RB_URL/actuator/backups" -d '{"label":"full-disk"}' | rb_json id)"
[[ -n "$BACKUP_ID" ]] || { echo "backup did not start" >&2; exit 1; }
FINAL="$(rb_wait_backup "$BACKUP_ID" 180)"
STATUS="$(rb_json status <<<"$FINAL")"
ERROR="$(rb_json error <<<"$FINAL")"
rb_check "backup fails cleanly with a clear reason" \
  "$([[ "$STATUS" == FAILED ]] && grep -qi 'space' <<<"$ERROR" && echo true || echo false)" \
  "status $STATUS after $((SECONDS - T0)) s, error: ${ERROR:0:200}"

FAILURES_AFTER="$(rb_metric 'iot_backup_failures_total')"
REASONS="$(rb_api "$RB_URL/actuator/prometheus" | awk '/^iot_backup_failures_total/' | tr '\n' ' ')"
rb_check "iot_backup_failures_total counted the failure" \
  "$(awk -v a="$FAILURES_BEFORE" -v b="$FAILURES_AFTER" 'BEGIN { print (b - a == 1) ? "true" : "false" }')" \
  "$FAILURES_BEFORE -> $FAILURES_AFTER ($REASONS)"
LISTED_OK="$(rb_api "$RB_URL/actuator/backups" | grep -c "\"$BACKUP_ID\",[^}]*\"SUCCEEDED\"" || true)"
rb_check "failed backup not listed as complete" "$([[ "$LISTED_OK" -eq 0 ]] && echo true || echo false)" \
  "$LISTED_OK SUCCEEDED entries for $BACKUP_ID"

LEFT="$(find "$STORE" -mindepth 1 -printf '%f ' | sed 's/ $//')"
USED_KB="$(df -k --output=used "$STORE" | tail -1 | tr -d ' ')"
PARTIALS="$(find "$STORE" -name '*.partial' | wc -l)"
ORPHANS=0
for dump in "$STORE"/*.dump; do
  [[ -e "$dump" ]] || continue
  [[ -e "${dump%.dump}.json" ]] || ORPHANS=$((ORPHANS + 1))
done
rb_check "partial file removed" "$([[ "$PARTIALS" -eq 0 && "$ORPHANS" -eq 0 ]] && echo true || echo false)" \
  "$PARTIALS partial file(s), $ORPHANS dump(s) without manifest, ${USED_KB} kB used on the tmpfs, files: ${LEFT:-none}"

READY="$(rb_status "$RB_URL/actuator/health/readiness")"
LIST="$(rb_status "$RB_URL/api/sensors")"
CREATE="$(rb_status -X POST "$RB_URL/api/sensors" -d '{"name":"after-full-disk","kind":"TEMPERATURE","site":"reliability"}')"
rb_check "service stays healthy" "$([[ "$READY" == 200 && "$LIST" == 200 && "$CREATE" == 201 ]] && echo true || echo false)" \
  "readiness $READY, GET /api/sensors $LIST, POST /api/sensors $CREATE"

BIG_MB=$(awk -v d="$RAW_DUMP_MB" 'BEGIN { printf "%d", d * 2 + 20 }')
mount -o "remount,size=${BIG_MB}m" "$STORE"
rb_log "tmpfs grown to ${BIG_MB} MB"
T0=$SECONDS
NEXT_ID="$(rb_api -X POST "$RB_URL/actuator/backups" -d '{"label":"after-full-disk"}' | rb_json id)"
NEXT="$(rb_wait_backup "$NEXT_ID" 180)"
NEXT_STATUS="$(rb_json status <<<"$NEXT")"
rb_check "next backup with space succeeds" "$([[ "$NEXT_STATUS" == SUCCEEDED ]] && echo true || echo false)" \
  "status $NEXT_STATUS in $((SECONDS - T0)) s, size $(rb_json sizeBytes <<<"$NEXT") bytes, files: $(find "$STORE" -mindepth 1 -printf '%f ')"

echo
echo "full-disk: database $DB_SIZE, dump $RAW_DUMP_MB MB, tmpfs ${TMPFS_MB} MB, $RB_FAILURES failed check(s)"
[[ "$RB_FAILURES" -eq 0 ]]
