#!/usr/bin/env bash
# Starts a database backup through the service (POST /actuator/backups) and optionally waits for it.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

usage() {
  cat <<'USAGE'
Usage: deploy/backup.sh --url <base-url> --token <admin-token> [--trigger PRE_DEPLOY] [--label <text>] [--wait] [--timeout <seconds>]

Starts a backup (POST /actuator/backups) and prints its JSON (with its "id") on stdout.
With --wait, polls GET /actuator/backups/{id} until SUCCEEDED (exit 0) or FAILED / timeout (exit 1).
A backup already running (409) is waited for instead of failing when --wait is given.

Options:
  --url <base-url>       service base URL (default $IOT_API_URL)
  --token <token>        ADMIN token (default $IOT_ADMIN_TOKEN)
  --trigger <trigger>    e.g. PRE_DEPLOY (default: the service's manual trigger)
  --label <text>         free text stored with the backup, e.g. the release being deployed
  --wait                 wait for the backup to finish
  --timeout <seconds>    how long --wait waits (default 1800)
  -h, --help             this help
USAGE
}

url=${IOT_API_URL:-}
token=${IOT_ADMIN_TOKEN:-}
trigger=""
label=""
wait=false
timeout=1800
while (($#)); do
  case "$1" in
    --url) url=${2:?--url needs a value}; shift 2 ;;
    --token) token=${2:?--token needs a value}; shift 2 ;;
    --trigger) trigger=${2:?--trigger needs a value}; shift 2 ;;
    --label) label=${2:?--label needs a value}; shift 2 ;;
    --wait) wait=true; shift ;;
    --timeout) timeout=${2:?--timeout needs a value}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
[[ -n "$url" ]] || die "--url (or IOT_API_URL) is required"
[[ -n "$token" ]] || die "--token (or IOT_ADMIN_TOKEN) is required"
require_cmd curl jq
url=${url%/}

body=$(jq -cn --arg trigger "$trigger" --arg text "$label" \
  '{} + (if $trigger != "" then {trigger: $trigger} else {} end) + (if $text != "" then {label: $text} else {} end)')
parse_response "$(http_call POST "$url/actuator/backups" "$token" "$body")"
case "$RESPONSE_STATUS" in
  200 | 201 | 202) backup_id=$(jq -r '.id' <<<"$RESPONSE_BODY") ;;
  409)
    [[ "$wait" == true ]] || die "a backup is already running (409): $RESPONSE_BODY"
    parse_response "$(http_call GET "$url/actuator/backups" "$token")"
    backup_id=$(jq -r '[(if type == "array" then . else (.items // .backups // []) end)[] | select(.status == "RUNNING")][0].id // empty' <<<"$RESPONSE_BODY")
    [[ -n "$backup_id" ]] || die "a backup is already running but none is listed as RUNNING"
    log "a backup is already running ($backup_id): waiting for it instead"
    ;;
  *) die "POST /actuator/backups answered HTTP $RESPONSE_STATUS: $RESPONSE_BODY" ;;
esac
[[ -n "$backup_id" && "$backup_id" != null ]] || die "the service answered no backup id: $RESPONSE_BODY"
log "backup $backup_id started"

if [[ "$wait" != true ]]; then
  printf '%s\n' "$RESPONSE_BODY"
  exit 0
fi

wait_for_operation "backup $backup_id" "$url/actuator/backups/$backup_id" "$token" "$timeout" 3
