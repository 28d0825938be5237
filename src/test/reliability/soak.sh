#!/usr/bin/env bash
# Soak test: steady ingestion with alert rules active and a backup in the middle; reports the drift, and that
# the event publication registry does not grow.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: src/test/reliability/soak.sh [--duration <30m|90s|1h>] [--rate <requests/s>] [--sensors N] [--jar <path>] [--keep]

Not part of the build. Starts a throw-away PostgreSQL 15 cluster and the packaged service (filesystem backup
store in the work directory), registers sensors and creates alert rules (POST /api/alert-rules), then:
  1. unless --rate is given, measures the maximum single-reading ingestion rate (closed loop, 8 clients,
     15 s) and soaks at half of it;
  2. posts single readings (POST /api/sensors/{id}/readings) at that fixed rate for --duration, with values
     crossing the alert thresholds so that alerts open and resolve;
  3. takes one backup half-way (POST /actuator/backups) and checks it SUCCEEDS;
  4. reports RSS, p99 latency and error count in the first and the last window (each 1/6 of the run,
     at most 5 minutes) and their drift; checks there are no errors and the service is still ready;
  5. reports the row count of event_publication (Spring Modulith's registry) when the soak starts, its peak
     during the run and when it ends (after letting in-flight listener calls finish, at most 90 s), and
     checks it is flat: completed publications must not pile up.
Only 127.0.0.1; bounded by --duration (plus about 2 minutes) and rate x duration requests.

Options:
  --duration D   run length: <n>s, <n>m or <n>h (default 30m)
  --rate R       requests (= readings) per second; default half of the measured maximum
  --sensors N    sensors to spread the readings over (default 50)
  --jar <path>   service jar (default target/iot-api-*.jar, built when missing)
  --keep         keep the work directory (cluster, logs, samples)
  -h, --help     this text

Needs: /usr/lib/postgresql/15/bin, pg_dump, psql, java (>= 17, runs SoakLoad.java), curl, python3.
USAGE
}

DURATION=30m
RATE=""
SENSORS=50
RB_KEEP=false
# shellcheck source-path=SCRIPTDIR source=lib-b.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib-b.sh"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --rate) RATE="$2"; shift 2 ;;
    --sensors) SENSORS="$2"; shift 2 ;;
    --jar) RB_JAR="$2"; shift 2 ;;
    --keep) RB_KEEP=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done
case "$DURATION" in
  *h) SECONDS_TOTAL=$((${DURATION%h} * 3600)) ;;
  *m) SECONDS_TOTAL=$((${DURATION%m} * 60)) ;;
  *s) SECONDS_TOTAL=${DURATION%s} ;;
  *) SECONDS_TOTAL=$DURATION ;;
esac
((SECONDS_TOTAL >= 30)) || { echo "--duration must be at least 30s" >&2; exit 2; }
WINDOW=$((SECONDS_TOTAL / 6))
((WINDOW <= 300)) || WINDOW=300
LOAD="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/SoakLoad.java"

rb_require
SAMPLER_PID=""
LOAD_PID=""
stop_helpers() {
  if [[ -n "$LOAD_PID" ]]; then kill "$LOAD_PID" 2>/dev/null || true; fi
  if [[ -n "$SAMPLER_PID" ]]; then kill "$SAMPLER_PID" 2>/dev/null || true; fi
}
RB_EXTRA_CLEANUP+=(stop_helpers)
rb_traps
rb_workdir soak
rb_find_jar
rb_start_pg
RB_JAVA_OPTS="${RB_JAVA_OPTS:--Xms192m -Xmx192m -XX:+UseSerialGC -XX:MaxMetaspaceSize=160m -XX:ReservedCodeCacheSize=64m}"
rb_start_service --iot.backup.store=filesystem --iot.backup.filesystem.directory="$RB_WORK/backups"

rb_log "registering $SENSORS sensors and 3 alert rules"
: >"$RB_WORK/sensors"
for i in $(seq 1 "$SENSORS"); do rb_create_sensor "soak-$i" >>"$RB_WORK/sensors"; done
RULES=0
for rule in '"ABOVE","threshold":33,"clearThreshold":31,"severity":"CRITICAL"' \
            '"ABOVE","threshold":30,"clearThreshold":28,"forDuration":"PT10S","severity":"MAJOR"' \
            '"BELOW","threshold":22,"clearThreshold":24,"severity":"MINOR"'; do
  code="$(rb_status -X POST "$RB_URL/api/alert-rules" \
    -d "{\"name\":\"soak-$RULES\",\"scope\":{\"site\":\"reliability\"},\"condition\":$rule,\"enabled\":true}")"
  [[ "$code" == 201 ]] || { echo "alert rule not created: HTTP $code $(cat "$RB_WORK/last-body")" >&2; exit 1; }
  RULES=$((RULES + 1))
done

if [[ -z "$RATE" ]]; then
  MAX="$(java "$LOAD" max "$RB_URL" "$RB_TOKEN" "$RB_WORK/sensors" 8 15)"
  RATE="$(awk -v m="$MAX" 'BEGIN { printf "%.0f", m / 2 }')"
  rb_log "measured maximum $MAX requests/s; soaking at $RATE requests/s"
else
  MAX="not measured"
fi

# Rows of the event publication registry; with completion-mode=delete only what listeners still have to process.
registry_rows() { psql -Atq -d iot -c 'select count(*) from event_publication' 2>/dev/null || echo ""; }
registry_size() { psql -Atq -d iot -c "select pg_size_pretty(pg_total_relation_size('event_publication'))" 2>/dev/null; }
# The setup's own events (sensors registered) are processed before the start is measured.
for _ in $(seq 1 60); do [[ "$(registry_rows)" == 0 ]] && break; sleep 1; done
REGISTRY_START="$(registry_rows)"
REGISTRY_START_SIZE="$(registry_size)"
rb_log "event_publication: $REGISTRY_START rows ($REGISTRY_START_SIZE) before the soak"

(while kill -0 "$RB_SERVICE_PID" 2>/dev/null; do
   printf '%s %s %s\n' "$SECONDS" "$(awk '/VmRSS/ { print $2 }' "/proc/$RB_SERVICE_PID/status" 2>/dev/null)" "$(registry_rows)"
   sleep 5
 done) >"$RB_WORK/rss" &
SAMPLER_PID=$!
START=$SECONDS
rb_log "soaking for $SECONDS_TOTAL s at $RATE requests/s (windows of $WINDOW s)"
java "$LOAD" run "$RB_URL" "$RB_TOKEN" "$RB_WORK/sensors" "$RATE" "$SECONDS_TOTAL" "$WINDOW" >"$RB_WORK/windows" &
LOAD_PID=$!

sleep $((SECONDS_TOTAL / 2))
rb_log "taking the mid-run backup"
BACKUP_ID="$(rb_api -X POST "$RB_URL/actuator/backups" -d '{"label":"soak"}' | rb_json id)"
BACKUP="$(rb_wait_backup "$BACKUP_ID" $((SECONDS_TOTAL / 2 + 60)))"
wait "$LOAD_PID"
LOAD_PID=""
END=$SECONDS
kill "$SAMPLER_PID" 2>/dev/null || true
SAMPLER_PID=""
# Listener calls still queued when the load stopped finish; a completed publication is deleted.
for _ in $(seq 1 90); do
  ROWS="$(registry_rows)"
  [[ -n "$ROWS" && "$ROWS" -le "$REGISTRY_START" ]] && break
  sleep 1
done
REGISTRY_END="$(registry_rows)"
REGISTRY_END_SIZE="$(registry_size)"
REGISTRY_PEAK="$(awk '$3 != "" && $3 > m { m = $3 } END { printf "%d", m }' "$RB_WORK/rss")"

# RSS: the average of the samples within the first and the last window
rss_window() {
  awk -v from="$1" -v to="$2" '$1 >= from && $1 < to && $2 != "" { s += $2; n++ } END { printf "%d", n ? s / n / 1024 : 0 }' "$RB_WORK/rss"
}
RSS_START="$(rss_window "$START" $((START + WINDOW)))"
RSS_END="$(rss_window $((END - WINDOW)) $((END + 1)))"
read -r _ W0 _ REQ_START _ ERR_START _ P50_START _ P99_START < <(head -1 "$RB_WORK/windows")
read -r _ WN _ REQ_END _ ERR_END _ P50_END _ P99_END < <(tail -1 "$RB_WORK/windows")
TOTAL_REQ="$(awk '{ s += $4 } END { print s }' "$RB_WORK/windows")"
TOTAL_ERR="$(awk '{ s += $6 } END { print s }' "$RB_WORK/windows")"
OPENED="$(rb_metric 'iot_alerts_opened_total')"
READY="$(rb_status "$RB_URL/actuator/health/readiness")"

echo
echo "Soak: $SECONDS_TOTAL s at $RATE requests/s (maximum measured: $MAX), $SENSORS sensors, $RULES alert rules"
cat "$RB_WORK/windows"
printf '| | first window (%s s from %s s) | last window (from %s s) | drift |\n|---|---|---|---|\n' "$WINDOW" "$W0" "$WN"
printf '| RSS MB | %s | %s | %+d |\n' "$RSS_START" "$RSS_END" $((RSS_END - RSS_START))
printf '| p50 ms | %s | %s | %+.1f |\n' "$P50_START" "$P50_END" "$(awk -v a="$P50_START" -v b="$P50_END" 'BEGIN { print b - a }')"
printf '| p99 ms | %s | %s | %+.1f |\n' "$P99_START" "$P99_END" "$(awk -v a="$P99_START" -v b="$P99_END" 'BEGIN { print b - a }')"
printf '| errors | %s of %s | %s of %s | %+d |\n' "$ERR_START" "$REQ_START" "$ERR_END" "$REQ_END" $((ERR_END - ERR_START))
printf '| event_publication rows | %s (%s) at the start | %s (%s) at the end, peak %s during the run | %+d |\n' \
  "$REGISTRY_START" "$REGISTRY_START_SIZE" "$REGISTRY_END" "$REGISTRY_END_SIZE" "$REGISTRY_PEAK" \
  $((REGISTRY_END - REGISTRY_START))
echo
rb_check "mid-run backup succeeded" "$([[ "$(rb_json status <<<"$BACKUP")" == SUCCEEDED ]] && echo true || echo false)" \
  "status $(rb_json status <<<"$BACKUP"), duration $(rb_json duration <<<"$BACKUP"), $(rb_json sizeBytes <<<"$BACKUP") bytes"
rb_check "no request failed" "$([[ "$TOTAL_ERR" -eq 0 ]] && echo true || echo false)" "$TOTAL_ERR errors of $TOTAL_REQ requests"
rb_check "alert rules evaluated" "$(awk -v o="$OPENED" 'BEGIN { print (o > 0) ? "true" : "false" }')" \
  "iot_alerts_opened_total $OPENED"
rb_check "event publication registry flat" "$([[ "$REGISTRY_END" -le "$REGISTRY_START" ]] && echo true || echo false)" \
  "event_publication $REGISTRY_START rows at the start, $REGISTRY_END at the end (peak $REGISTRY_PEAK) after $TOTAL_REQ readings"
rb_check "service still ready" "$([[ "$READY" == 200 ]] && echo true || echo false)" "readiness HTTP $READY"
[[ "$RB_FAILURES" -eq 0 ]]
