#!/usr/bin/env bash
# Fault test: two replicas on one database; every scheduled job must run once per slot, not once per replica.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: src/test/reliability/two-replicas.sh [options]

Starts its own PostgreSQL 15 and two instances of the packaged service on different ports against it, with
short schedules: the backup (iot.backup.schedule), reading retention and partition upkeep
(iot.readings.retention-cron, iot.readings.partition-cron) every --slot seconds, the offline-sensor job
(iot.alerts.offline-check-interval) every --slot seconds too. Readings are ingested through both replicas
for --duration seconds. Then it counts, per slot, how many times each job ran across both replicas — from
ShedLock's lock acquisitions in both logs (DEBUG of DefaultLockingTaskExecutor), the retention job's log
line, the SCHEDULED backups listed by GET /actuator/backups and the shedlock table — and checks that no job
ran twice in a slot, that each ran at all, and that every acknowledged reading is stored.

The backup job holds its lock for at least 1 minute (lockAtLeastFor), so with slots shorter than that
some backup slots are skipped on purpose: the check for it is "at most once per slot".

Prints: per-slot counts per job and replica, acknowledged and lost readings. Exits non-zero on a double run.

Options:
  --duration S     seconds of ingestion and observation (default 100)
  --slot S         schedule period in seconds, a divisor of 60 (default 20)
  --sensors N      sensors (default 20)
  -h, --help       this help

Needs: /usr/lib/postgresql/15/bin (Debian postgresql-15), psql, pg_dump 15, a JDK >= 17, curl, python3.
USAGE
}

duration=100
slot=20
sensors=20
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --slot) slot="$2"; shift 2 ;;
    --sensors) sensors="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "Unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
trap rel_cleanup EXIT

pg_init
ensure_jar
cron="*/$slot * * * * *"
schedules=(--iot.backup.schedule="$cron" --iot.readings.retention-cron="$cron" --iot.readings.partition-cron="$cron"
  --iot.alerts.offline-check-interval="PT${slot}S"
  --logging.level.net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor=DEBUG)
port_a="$(free_port)"
port_b="$(free_port)"
url_a="http://127.0.0.1:$port_a"
url_b="http://127.0.0.1:$port_b"
log "Starting replica a on $url_a and replica b on $url_b (schedules: '$cron', offline check PT${slot}S)"
app_start a "$port_a" "${schedules[@]}"
wait_ready a "$url_a" 180
app_start b "$port_b" "${schedules[@]}"
wait_ready b "$url_b" 180
observe_from="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
token="$(register "$url_a" "$sensors")"

log "Ingesting through both replicas for ${duration}s"
load "$url_a" "$token" "$work/sensors.txt" 1 "$duration" 20 100000 "$work/acks-a.csv" >"$work/load-a.out" &
extra_pids+=("$!")
load_a=$!
load "$url_b" "$token" "$work/sensors.txt" 1 "$duration" 20 100000 "$work/acks-b.csv" >"$work/load-b.out" &
extra_pids+=("$!")
load_b=$!
wait "$load_a" "$load_b"
sleep 3
observe_to="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

curl -fsS --max-time 10 -H "Authorization: Bearer $admin_token" "$url_a/actuator/backups" >"$work/backups.json"
psql_ -t -A -F ' ' -c "select name, locked_at, lock_until, locked_by from shedlock order by name" >"$work/shedlock.txt"

# Per slot (start of the slot, UTC) and job: runs per replica, from both logs and the backup list.
python3 - "$slot" "$observe_from" "$observe_to" "$work/a.log" "$work/b.log" "$work/backups.json" \
  >"$work/slots.txt" <<'PY'
import json, re, sys
from collections import defaultdict
from datetime import datetime, timezone

slot, since, until = int(sys.argv[1]), sys.argv[2], sys.argv[3]
def slot_of(ts):
    t = datetime.strptime(ts[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)  # UTC instants
    s = int(t.timestamp()) // slot * slot
    return datetime.fromtimestamp(s, timezone.utc).strftime("%H:%M:%S")
def in_window(ts):
    return since <= ts[:19] + "Z" <= until
runs = defaultdict(lambda: defaultdict(int))   # (slot, job) -> replica -> count
jobs = {"backup": "backup", "readings-retention": "retention", "readings-partitions": "partitions",
        "alerts-offline-detection": "offline-check"}
for replica, path in (("a", sys.argv[4]), ("b", sys.argv[5])):
    for line in open(path, encoding="utf-8", errors="replace"):
        if not line.startswith("{"):
            continue
        entry = json.loads(line)
        ts, message = entry["@timestamp"], entry.get("message", "")
        if not in_window(ts):
            continue
        m = re.match(r"Locked '([^']+)'", message)
        if m and m.group(1) in jobs:
            runs[(slot_of(ts), "lock:" + jobs[m.group(1)])][replica] += 1
        if message.startswith("Reading retention:"):
            runs[(slot_of(ts), "log:retention")][replica] += 1
        if re.match(r"Backup \S+ \(SCHEDULED\) started", message):
            runs[(slot_of(ts), "log:backup-started")][replica] += 1
for backup in json.load(open(sys.argv[6])):
    if backup.get("trigger") == "SCHEDULED" and in_window(backup["createdAt"]):
        runs[(slot_of(backup["createdAt"]), "listed:scheduled-backup")][backup.get("status", "?")] += 1
for (s, job), by in sorted(runs.items()):
    print(s, job, sum(by.values()), " ".join(f"{k}={v}" for k, v in sorted(by.items())))
PY

ingested="$(cat "$work/acks-a.csv" "$work/acks-b.csv" | tee "$work/all-acks.csv" | wc -l)"
read -r acknowledged matching lost duplicates <<<"$(verify_acknowledged "$work/all-acks.csv")"
echo
echo "== two replicas, slots of ${slot}s, $observe_from .. $observe_to =="
echo "slot(UTC) job runs-in-slot per-replica(or backup status)"
cat "$work/slots.txt"
echo "shedlock table (name locked_at lock_until locked_by):"
cat "$work/shedlock.txt"
echo "load a: $(cat "$work/load-a.out")"
echo "load b: $(cat "$work/load-b.out")"
echo "acknowledged readings: $ingested (in the DB: $matching, lost: $lost, duplicated keys: $duplicates)"

failures=()
# Partition upkeep is idempotent (create-if-missing under an advisory lock) and is reported, not checked.
doubles="$(awk '$3 > 1 && $2 != "lock:partitions"' "$work/slots.txt")"
[[ -z "$doubles" ]] || failures+=("jobs ran more than once in a slot: $(tr '\n' ';' <<<"$doubles")")
for job in lock:backup lock:retention lock:offline-check listed:scheduled-backup; do
  grep -q " $job " "$work/slots.txt" || failures+=("$job never ran")
done
[[ "$lost" -eq 0 && "$duplicates" -eq 0 && "$acknowledged" -gt 0 ]] || failures+=("acknowledged readings lost")
if (( ${#failures[@]} > 0 )); then
  printf 'FAIL: %s\n' "${failures[@]}" >&2
  exit 1
fi
echo "PASS: backup, retention and offline-sensor jobs each ran at most once per slot across both replicas"
