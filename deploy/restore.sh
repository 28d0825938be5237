#!/usr/bin/env bash
# Restores a backup through the service (POST /actuator/restore): into the live database, or as a drill.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

usage() {
  cat <<'USAGE'
Usage: deploy/restore.sh --url <base-url> --token <admin-token> --backup-id <id> [--scratch] [--wait] [--timeout <seconds>]

Without --scratch this REPLACES THE LIVE DATABASE with the backup (the service enters maintenance mode while
it runs): on a terminal it asks you to type the backup id again unless --yes is given.
With --scratch it runs a restore drill into a throw-away database and leaves the live one untouched.
With --wait, polls GET /actuator/restore until SUCCEEDED (exit 0) or FAILED / timeout (exit 1).
Runbook: runbooks/restore-database.md

Options:
  --url <base-url>       service base URL (default $IOT_API_URL)
  --token <token>        ADMIN token (default $IOT_ADMIN_TOKEN)
  --backup-id <id>       the backup to restore (deploy/backup.sh prints it; GET /actuator/backups lists them)
  --scratch              restore drill into a scratch database
  --yes                  do not ask for confirmation on a terminal
  --wait                 wait for the restore to finish
  --timeout <seconds>    how long --wait waits (default 3600)
  -h, --help             this help
USAGE
}

url=${IOT_API_URL:-}
token=${IOT_ADMIN_TOKEN:-}
backup_id=""
scratch=false
assume_yes=false
wait=false
timeout=3600
while (($#)); do
  case "$1" in
    --url) url=${2:?--url needs a value}; shift 2 ;;
    --token) token=${2:?--token needs a value}; shift 2 ;;
    --backup-id) backup_id=${2:?--backup-id needs a value}; shift 2 ;;
    --scratch) scratch=true; shift ;;
    --yes) assume_yes=true; shift ;;
    --wait) wait=true; shift ;;
    --timeout) timeout=${2:?--timeout needs a value}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
[[ -n "$url" ]] || die "--url (or IOT_API_URL) is required"
[[ -n "$token" ]] || die "--token (or IOT_ADMIN_TOKEN) is required"
[[ -n "$backup_id" ]] || die "--backup-id is required"
require_cmd curl jq
url=${url%/}

if [[ "$scratch" == true ]]; then
  body=$(jq -cn --arg id "$backup_id" '{backupId: $id, target: "scratch"}')
else
  # On a terminal the operator types the id again; automation (no terminal) passes the contract's flags only.
  if [[ "$assume_yes" != true && -t 0 ]]; then
    read -r -p "This replaces the live database at $url with backup $backup_id. Type the backup id to confirm: " typed
    [[ "$typed" == "$backup_id" ]] || die "confirmation did not match; nothing was restored"
  fi
  body=$(jq -cn --arg id "$backup_id" '{backupId: $id, confirm: $id}')
fi

parse_response "$(http_call POST "$url/actuator/restore" "$token" "$body")"
case "$RESPONSE_STATUS" in
  200 | 201 | 202) log "restore of $backup_id started (scratch: $scratch)" ;;
  *) die "POST /actuator/restore answered HTTP $RESPONSE_STATUS: $RESPONSE_BODY" ;;
esac

if [[ "$wait" != true ]]; then
  printf '%s\n' "$RESPONSE_BODY"
  exit 0
fi

wait_for_operation "restore of $backup_id" "$url/actuator/restore" "$token" "$timeout" 5
