#!/usr/bin/env bash
# Fault test: the Azure blob store (Azurite) dies in the middle of a backup upload.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: src/test/reliability/blob-outage.sh [--size <MB>] [--jar <path>] [--keep]

Starts a throw-away PostgreSQL 15 cluster filled with about <MB> megabytes (default 300) of poorly
compressible rows, Azurite (data on disk in the work directory, so it survives the restart) and the packaged
service with iot.backup.store=azure (1 MB blocks). Then:
  1. starts a backup (POST /actuator/backups) and SIGKILLs Azurite once the dump is being uploaded;
  2. checks the backup ends FAILED with a reason (GET /actuator/backups/{id}) within 180 s;
  3. checks iot_backup_failures_total grew by one, with reason="store" (GET /actuator/prometheus);
  4. checks nothing incomplete is listed (GET /actuator/backups during the outage and after: the failed id is
     never SUCCEEDED, the next backup is);
  5. checks GET /actuator/backups answers 503 problem+json (not 500) while the store is down, and the API
     is unaffected during the outage (GET /api/sensors, POST /api/sensors, POST readings);
  6. restarts Azurite on the same port and data folder and checks the next backup SUCCEEDS.
Prints PASS/FAIL per check with its figure; exits non-zero when a check fails. Only 127.0.0.1; bounded
(about 3 minutes, fewer than 2,000 requests). Everything it starts is stopped on exit.

Options:
  --size <MB>   filler data to generate (default 300)
  --jar <path>  service jar (default target/iot-api-*.jar, built when missing)
  --keep        keep the work directory (cluster, logs)
  -h, --help    this text

Needs: /usr/lib/postgresql/15/bin, pg_dump, psql, java, curl, python3 and the Azurite of src/test/tools
(run ./mvnw -o test-compile once).
USAGE
}

SIZE_MB=300
RB_KEEP=false
# shellcheck source-path=SCRIPTDIR source=lib-b.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib-b.sh"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --size) SIZE_MB="$2"; shift 2 ;;
    --jar) RB_JAR="$2"; shift 2 ;;
    --keep) RB_KEEP=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done

rb_require
rb_traps
rb_workdir blob-outage
rb_find_jar
rb_start_pg
DB_SIZE="$(rb_fill_db "$SIZE_MB")"
rb_log "database size: $DB_SIZE"
rb_start_azurite
rb_start_service --iot.backup.store=azure --iot.backup.azure.connection-string="$(rb_azure_connection_string)" \
  --iot.backup.azure.block-size=1MB --iot.backup.azure.max-concurrency=2 --iot.scheduling.enabled=false
SENSOR="$(rb_create_sensor blob-outage-before)"

FAILURES_BEFORE="$(rb_metric 'iot_backup_failures_total')"
rb_log "starting a backup"
BACKUP_ID="$(rb_api -X POST "$RB_URL/actuator/backups" -d '{"label":"blob-outage"}' | rb_json id)"
[[ -n "$BACKUP_ID" ]] || { echo "backup did not start" >&2; exit 1; }
BYTES=0
for _ in $(seq 1 300); do
  BODY="$(rb_api "$RB_URL/actuator/backups/$BACKUP_ID")"
  BYTES="$(rb_json bytesWritten <<<"$BODY")"
  [[ "$(rb_json status <<<"$BODY")" == RUNNING ]] || break
  if [[ -n "$BYTES" && "$BYTES" -gt 2000000 ]]; then break; fi
  sleep 0.1
done
STATUS_AT_KILL="$(rb_json status <<<"$BODY")"
rb_log "SIGKILL Azurite (backup $STATUS_AT_KILL, ${BYTES:-0} bytes uploaded)"
rb_stop_azurite
KILLED_AT=$SECONDS
rb_check "backup was mid-upload when Azurite died" "$([[ "$STATUS_AT_KILL" == RUNNING ]] && echo true || echo false)" \
  "status $STATUS_AT_KILL, ${BYTES:-0} bytes written"

# The API must keep answering while the blob store is gone (and while the backup is failing).
API_OK=0
API_TOTAL=0
API_SLOWEST=0
api_round() {
  local code t0 ms
  for request in get-list post-sensor post-reading; do
    t0="$(date +%s%N)"
    case "$request" in
      get-list) code="$(rb_status "$RB_URL/api/sensors?size=5")" ;;
      post-sensor) code="$(rb_status -X POST "$RB_URL/api/sensors" \
        -d "{\"name\":\"outage-$API_TOTAL\",\"kind\":\"TEMPERATURE\",\"site\":\"reliability\"}")" ;;
      post-reading) code="$(rb_status -X POST "$RB_URL/api/sensors/$SENSOR/readings" -d '{"value":21.5}')" ;;
    esac
    ms=$((($(date +%s%N) - t0) / 1000000))
    API_TOTAL=$((API_TOTAL + 1))
    if [[ "$code" =~ ^2 ]]; then API_OK=$((API_OK + 1)); fi
    if ((ms > API_SLOWEST)); then API_SLOWEST=$ms; fi
  done
}
api_round
FINAL="$(rb_wait_backup "$BACKUP_ID" 1)"
while [[ "$(rb_json status <<<"$FINAL")" == RUNNING ]] && ((SECONDS - KILLED_AT < 180)); do
  api_round
  FINAL="$(rb_wait_backup "$BACKUP_ID" 1)"
done
FAILED_AFTER=$((SECONDS - KILLED_AT))
api_round
STATUS="$(rb_json status <<<"$FINAL")"
ERROR="$(rb_json error <<<"$FINAL")"
rb_check "backup ends FAILED with its reason" \
  "$([[ "$STATUS" == FAILED && -n "$ERROR" ]] && echo true || echo false)" \
  "status $STATUS after ${FAILED_AFTER} s, error: ${ERROR:0:200}"

FAILURES_AFTER="$(rb_metric 'iot_backup_failures_total')"
REASONS="$(rb_api "$RB_URL/actuator/prometheus" | awk '/^iot_backup_failures_total/' | tr '\n' ' ')"
rb_check "iot_backup_failures_total counted the failure as reason=store" \
  "$(awk -v a="$FAILURES_BEFORE" -v b="$FAILURES_AFTER" -v r="$REASONS" \
    'BEGIN { print (b - a == 1 && index(r, "reason=\"store\"") > 0) ? "true" : "false" }')" \
  "$FAILURES_BEFORE -> $FAILURES_AFTER ($REASONS)"

# "id:status" of every listed backup, or the HTTP status and problem title when listing fails.
list_backups() {
  local code
  code="$(rb_status -m 150 "$RB_URL/actuator/backups")"
  python3 -c '
import json, sys
body = json.load(open(sys.argv[2]))
if isinstance(body, list):
    print(" ".join(b["id"] + ":" + b["status"] for b in body))
else:
    print("HTTP " + sys.argv[1] + " " + str(body.get("title")) + ": " + str(body.get("detail")))' "$code" "$RB_WORK/last-body" 2>/dev/null || echo "HTTP $code (no JSON body)"
}
# the listing reads the blob store, so during the outage it answers only once the SDK's retries give up
T0=$SECONDS
LISTED_DURING="$(list_backups) (answered in $((SECONDS - T0)) s)"
rb_check "API unaffected during the outage" "$([[ "$API_OK" -eq "$API_TOTAL" ]] && echo true || echo false)" \
  "$API_OK/$API_TOTAL requests 2xx (GET /api/sensors, POST /api/sensors, POST readings), slowest ${API_SLOWEST} ms"
READY="$(rb_status "$RB_URL/actuator/health/readiness")"
rb_check "readiness stays UP without the blob store" "$([[ "$READY" == 200 ]] && echo true || echo false)" "HTTP $READY"

rb_log "restarting Azurite on port $RB_AZURITE_PORT with the same data folder"
rb_start_azurite
T0=$SECONDS
NEXT_ID="$(rb_api -X POST "$RB_URL/actuator/backups" -d '{"label":"after-outage"}' | rb_json id)"
NEXT="$(rb_wait_backup "$NEXT_ID" 300)"
NEXT_STATUS="$(rb_json status <<<"$NEXT")"
rb_check "next backup succeeds" "$([[ "$NEXT_STATUS" == SUCCEEDED ]] && echo true || echo false)" \
  "status $NEXT_STATUS in $((SECONDS - T0)) s, size $(rb_json sizeBytes <<<"$NEXT") bytes"

rb_check "listing during the outage answers a problem, not a 500" \
  "$([[ "$LISTED_DURING" != "HTTP 500"* && "$LISTED_DURING" != "HTTP 000"* ]] && echo true || echo false)" \
  "GET /actuator/backups: $LISTED_DURING"
LISTED_AFTER="$(list_backups)"
INCOMPLETE="$(grep -c "$BACKUP_ID:SUCCEEDED" <<<"$LISTED_DURING $LISTED_AFTER" || true)"
rb_check "nothing incomplete is listed" \
  "$([[ "$INCOMPLETE" -eq 0 && "$LISTED_AFTER" == *"$NEXT_ID:SUCCEEDED"* ]] && echo true || echo false)" \
  "failed $BACKUP_ID never listed as SUCCEEDED; listed after the outage: ${LISTED_AFTER:-nothing}"

echo
echo "blob-outage: database $DB_SIZE, $RB_FAILURES failed check(s)"
[[ "$RB_FAILURES" -eq 0 ]]
