#!/usr/bin/env bash
# Shared helpers of the deploy/ scripts (sourced, not run). Naming of the Azure resources mirrors infra/.
# Environment knobs common to every script:
#   IOT_API_URL / IOT_ADMIN_TOKEN   defaults of --url / --token
#   IOT_CURL_OPTS                   extra curl options, e.g. "--proxy http://proxy:3128" or "--connect-to ::127.0.0.1:8080"
#   IOT_URL_SCHEME                  scheme of the URLs built from the app's FQDN (default https)
#   IOT_RESTART_TIMEOUT             seconds a restarted revision has to be healthy again (default 600)
#   IOT_SMOKE_DEADLINE              time budget of rotate-secret.sh's smoke test (default 180)

DEPLOY_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export DEPLOY_DIR

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

require_cmd() {
  local cmd
  for cmd in "$@"; do
    command -v "$cmd" >/dev/null 2>&1 || die "'$cmd' is required but not installed"
  done
}

# curl with the common options.
http() {
  local extra=()
  if [[ -n "${IOT_CURL_OPTS:-}" ]]; then
    read -r -a extra <<<"$IOT_CURL_OPTS"
  fi
  curl --silent --show-error --connect-timeout 5 --max-time 30 "${extra[@]}" "$@"
}

# http_call METHOD URL [TOKEN] [JSON-BODY]: prints the body then a last line with the HTTP status.
http_call() {
  local method=$1 url=$2 token=${3:-} body=${4:-}
  local args=(--request "$method" --write-out '\n%{http_code}') header=""
  if [[ -n "$token" ]]; then
    # read from stdin, so the token never shows in the process list
    args+=(--header @-)
    header="Authorization: Bearer $token"
  fi
  if [[ -n "$body" ]]; then
    args+=(--header 'Content-Type: application/json' --data "$body")
  fi
  http "${args[@]}" "$url" <<<"$header" || printf '\n000\n'
}

# Splits http_call output: sets RESPONSE_BODY and RESPONSE_STATUS.
parse_response() {
  RESPONSE_STATUS=$(tail -n 1 <<<"$1")
  RESPONSE_BODY=$(sed '$d' <<<"$1")
  export RESPONSE_STATUS RESPONSE_BODY
}

default_resource_group() { printf 'rg-iot-api-%s' "$1"; }
default_app_name() { printf 'ca-iot-api-%s' "$1"; }

validate_environment() {
  case "$1" in
    staging | production) ;;
    *) die "--environment must be staging or production, not '$1'" ;;
  esac
}

# The base URL of a revision label: Container Apps serves label L of app A at A---L.<rest of A's FQDN>.
label_url() {
  local fqdn=$1 label=$2
  printf '%s://%s---%s.%s' "${IOT_URL_SCHEME:-https}" "${fqdn%%.*}" "$label" "${fqdn#*.}"
}

app_url() { printf '%s://%s' "${IOT_URL_SCHEME:-https}" "$1"; }

# The revision serving the most traffic, from `az containerapp ingress traffic show` JSON; "@latest" when that
# is the "latest revision" rule (Terraform's initial split), which has no revision name.
live_revision_from_traffic() {
  jq -r '[.[] | select(.weight > 0)] | sort_by(-.weight) | .[0]
    | if . == null then empty elif .revisionName then .revisionName elif .latestRevision then "@latest" else empty end'
}

# live_revision <resource-group> <app>: the name of the revision serving the most traffic (empty when none).
live_revision() {
  local revision
  revision=$(az containerapp ingress traffic show --resource-group "$1" --name "$2" --output json | live_revision_from_traffic)
  if [[ "$revision" == "@latest" ]]; then
    revision=$(az containerapp show --resource-group "$1" --name "$2" --query properties.latestRevisionName --output tsv)
  fi
  printf '%s' "$revision"
}

# The version in an image reference's tag when it is SemVer (registry/repo:1.4.0 or :v1.4.0), else nothing.
version_from_image() {
  local ref=${1%@*} tag
  [[ "$ref" == *:* && "${ref##*:}" != */* ]] || return 0
  tag=${ref##*:}
  tag=${tag#v}
  if [[ "$tag" =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]]; then
    printf '%s' "$tag"
  fi
}

# version_lt A B: true when release A is older than release B (major.minor.patch; pre-release suffix ignored).
version_lt() {
  local a b i
  IFS=. read -r -a a <<<"${1%%[-+]*}"
  IFS=. read -r -a b <<<"${2%%[-+]*}"
  for i in 0 1 2; do
    if ((10#${a[i]:-0} < 10#${b[i]:-0})); then return 0; fi
    if ((10#${a[i]:-0} > 10#${b[i]:-0})); then return 1; fi
  done
  return 1
}

# wait_for_operation LABEL URL TOKEN TIMEOUT INTERVAL: polls a backup or restore resource until it is
# SUCCEEDED (prints it, returns 0) or FAILED (dies with its error). Other answers (RUNNING, or 503 while a
# restore holds every replica in maintenance) are waited out until TIMEOUT seconds.
wait_for_operation() {
  local label=$1 resource=$2 token=$3 timeout=$4 interval=$5 status deadline
  deadline=$((SECONDS + timeout))
  while true; do
    parse_response "$(http_call GET "$resource" "$token")"
    status=$(jq -r '.status // empty' <<<"$RESPONSE_BODY" 2>/dev/null || true)
    case "$status" in
      SUCCEEDED)
        log "$label succeeded"
        printf '%s\n' "$RESPONSE_BODY"
        return 0
        ;;
      FAILED) die "$label failed: $(jq -r '.error // "no error given"' <<<"$RESPONSE_BODY")" ;;
      *)
        ((SECONDS < deadline)) || die "$label still ${status:-unknown (HTTP $RESPONSE_STATUS)} after ${timeout}s"
        log "$label ${status:-HTTP $RESPONSE_STATUS} $(jq -r '.phase // empty' <<<"$RESPONSE_BODY" 2>/dev/null || true)"
        sleep "$interval"
        ;;
    esac
  done
}

# The Key Vault of an environment: the only vault in its resource group (infra/modules/key-vault).
key_vault_of() {
  local vault
  vault=$(az keyvault list --resource-group "$1" --query '[0].name' --output tsv)
  [[ -n "$vault" ]] || die "no Key Vault in resource group $1"
  printf '%s' "$vault"
}

# The resource id of the app's user-assigned identity (id-iot-api-<env>), which reads Key Vault.
app_identity_id() {
  az identity show --resource-group "$1" --name "id-iot-api-$2" --query id --output tsv
}

# restart_active_revisions <resource-group> <app>: restarts every active revision, not only the live one, so the
# standby revision that instant rollback relies on also reads the new secrets; waits until each is healthy again.
restart_active_revisions() {
  local resource_group=$1 app=$2 revision revisions state deadline
  revisions=$(az containerapp revision list --resource-group "$resource_group" --name "$app" \
    --query '[?properties.active].name' --output tsv)
  [[ -n "$revisions" ]] || die "no active revision of $app"
  for revision in $revisions; do
    log "restarting revision $revision"
    az containerapp revision restart --resource-group "$resource_group" --name "$app" --revision "$revision" --output none
  done
  for revision in $revisions; do
    deadline=$((SECONDS + ${IOT_RESTART_TIMEOUT:-600}))
    while true; do
      state=$(az containerapp revision show --resource-group "$resource_group" --name "$app" --revision "$revision" \
        --query '[properties.provisioningState, properties.runningState, properties.healthState]' --output tsv | tr '\t\n' '  ')
      case "$state" in
        *Failed* | *Unhealthy*) die "revision $revision did not come back: $state" ;;
        Provisioned*Healthy*) log "revision $revision is healthy again"; break ;;
      esac
      ((SECONDS < deadline)) || die "revision $revision not healthy after restart: $state"
      sleep 10
    done
  done
}

# A random secret of letters and digits (no character a shell, URL or connection string would mangle).
random_secret() {
  local value=""
  while ((${#value} < ${1:-48})); do
    value+=$(head -c 96 /dev/urandom | base64 | tr -d '\n/+=')
  done
  printf '%s' "${value:0:${1:-48}}"
}
