#!/usr/bin/env bash
# Moves all traffic of the Container App back to an earlier revision, refusing one the database schema no longer supports.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

usage() {
  cat <<'USAGE'
Usage: deploy/rollback.sh --environment <staging|production> [--to <revision>|previous] [--force]
                          [--resource-group <rg>] [--app <name>] [--token <admin-token>] [--deadline <seconds>]

Instant application rollback (no database change): 100% of the traffic to the target revision, default
"previous" = the newest revision created before the one serving traffic now (reactivated if inactive).

Schema-aware: it reads schema.oldestCompatibleRelease from GET /api/release of the live revision and the
target's version (its image tag, else its own /api/release through a revision label) and REFUSES a target
older than that release, because it cannot run against the current schema. Then the way back is a database
restore (runbooks/restore-database.md) followed by --force. --force skips the check.

After the switch it waits until the app's URL reports the target's version and, given a token, runs
deploy/smoke-test.sh. Exit status 0 on success, 1 on refusal or failure, 2 on usage errors.

Options:
  --environment <env>     staging or production
  --to <revision>         revision name, or "previous" (default)
  --force                 skip the schema compatibility check
  --resource-group <rg>   default rg-iot-api-<env>
  --app <name>            default ca-iot-api-<env>
  --token <token>         ADMIN/OPERATOR token for the smoke test (default $IOT_ADMIN_TOKEN; none: health only)
  --deadline <seconds>    how long to wait for the target to serve (default 180)
  -h, --help              this help
USAGE
}

environment=""
target="previous"
force=false
resource_group=""
app=""
token=${IOT_ADMIN_TOKEN:-}
deadline_seconds=180
while (($#)); do
  case "$1" in
    --environment) environment=${2:?--environment needs a value}; shift 2 ;;
    --to) target=${2:?--to needs a value}; shift 2 ;;
    --force) force=true; shift ;;
    --resource-group) resource_group=${2:?--resource-group needs a value}; shift 2 ;;
    --app) app=${2:?--app needs a value}; shift 2 ;;
    --token) token=${2:?--token needs a value}; shift 2 ;;
    --deadline) deadline_seconds=${2:?--deadline needs a value}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; log "ERROR: unknown argument: $1"; exit 2 ;;
  esac
done
[[ -n "$environment" ]] || { usage >&2; log "ERROR: --environment is required"; exit 2; }
validate_environment "$environment"
require_cmd az curl jq
resource_group=${resource_group:-$(default_resource_group "$environment")}
app=${app:-$(default_app_name "$environment")}
azargs=(--resource-group "$resource_group" --name "$app")

fqdn=$(az containerapp show "${azargs[@]}" --query properties.configuration.ingress.fqdn --output tsv)
[[ -n "$fqdn" ]] || die "container app $app in $resource_group has no ingress FQDN"
live_url=$(app_url "$fqdn")
live=$(live_revision "$resource_group" "$app")
[[ -n "$live" ]] || die "no revision of $app receives traffic"
revisions=$(az containerapp revision list "${azargs[@]}" --all --output json)

if [[ "$target" == previous ]]; then
  target=$(jq -r --arg live "$live" '
      (map(select(.name == $live))[0].properties.createdTime) as $liveCreated
      | map(select(.name != $live and .properties.createdTime < $liveCreated))
      | sort_by(.properties.createdTime) | (last.name // empty)' <<<"$revisions")
  [[ -n "$target" ]] || die "$live is the oldest revision of $app: there is no previous revision"
fi
target_json=$(jq -c --arg name "$target" 'map(select(.name == $name))[0] // empty' <<<"$revisions")
[[ -n "$target_json" ]] || die "revision $target does not exist in $app"
if [[ "$target" == "$live" ]]; then
  log "$target already serves the traffic: nothing to do"
  exit 0
fi
target_image=$(jq -r '(.properties.template.containers | map(select(.name == "iot-api"))[0] // .[0]).image // empty' <<<"$target_json")
log "rollback of $app ($environment): $live -> $target ($target_image)"

# The target must be running to answer on its label URL and to take traffic.
activated=false
activate_target() {
  if [[ "$activated" != true && "$(jq -r '.properties.active' <<<"$target_json")" != true ]]; then
    log "activating $target"
    az containerapp revision activate "${azargs[@]}" --revision "$target" --output none
    activated=true
  fi
}
refuse() {
  if [[ "$activated" == true ]]; then
    az containerapp revision deactivate "${azargs[@]}" --revision "$target" --output none || true
  fi
  die "$1"
}

target_version=$(version_from_image "$target_image")
if [[ -z "$target_version" ]]; then
  activate_target
  az containerapp revision label add "${azargs[@]}" --revision "$target" --label rollback --yes --output none
  parse_response "$(http_call GET "$(label_url "$fqdn" rollback)/api/release")"
  target_version=$(jq -r '.version // empty' <<<"$RESPONSE_BODY" 2>/dev/null || true)
  az containerapp revision label remove "${azargs[@]}" --label rollback --output none || true
fi

restore_hint="Restore the database to a backup taken before the contracting migration first (runbooks/restore-database.md):
  deploy/restore.sh --url $live_url --token \"\$IOT_ADMIN_TOKEN\" --backup-id <PRE_DEPLOY backup id from GET /actuator/backups> --wait
then rerun this rollback with --force."
if [[ "$force" == true ]]; then
  log "--force: schema compatibility not checked"
else
  parse_response "$(http_call GET "$live_url/api/release")"
  [[ "$RESPONSE_STATUS" == 200 ]] ||
    refuse "cannot read $live_url/api/release (HTTP $RESPONSE_STATUS) to check schema compatibility; use --force if you know it is safe"
  live_version=$(jq -r '.version // "?"' <<<"$RESPONSE_BODY")
  oldest=$(jq -r '.schema.oldestCompatibleRelease // empty' <<<"$RESPONSE_BODY")
  [[ -n "$target_version" ]] ||
    refuse "the version of $target is unknown (image $target_image, no /api/release); use --force if you know it is safe"
  if [[ -n "$oldest" ]] && version_lt "$target_version" "$oldest"; then
    refuse "REFUSED: $target runs $target_version, older than $oldest, the oldest release compatible with the current database schema (live: $live_version).
$restore_hint"
  fi
  log "schema check passed: $target_version >= oldest compatible release ${oldest:-(any)} (live: $live_version)"
fi

activate_target
az containerapp ingress traffic set "${azargs[@]}" --revision-weight "$target=100" "$live=0" --output none
log "traffic: 100% $target, 0% $live"

deadline=$((SECONDS + deadline_seconds))
while true; do
  parse_response "$(http_call GET "$live_url/api/release")"
  served=$(jq -r '.version // empty' <<<"$RESPONSE_BODY" 2>/dev/null || true)
  if [[ "$RESPONSE_STATUS" == 200 && (-z "$target_version" || "$served" == "$target_version") ]]; then
    break
  fi
  ((SECONDS < deadline)) || die "$live_url still serves ${served:-nothing (HTTP $RESPONSE_STATUS)} after ${deadline_seconds}s"
  sleep 5
done
if [[ -n "$token" ]]; then
  "$DEPLOY_DIR/smoke-test.sh" --url "$live_url" --token "$token" ${target_version:+--expect-version "$target_version"} \
    --deadline "$deadline_seconds"
fi
if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
  printf 'revision=%s\nversion=%s\nrolled-back-from=%s\n' "$target" "$target_version" "$live" >>"$GITHUB_OUTPUT"
fi
log "rolled back: $target (${target_version:-unknown version}) serves 100% of $app"
