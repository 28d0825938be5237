#!/usr/bin/env bash
# Smoke test of a running iot-api: health, release version, one authenticated read and one write.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

usage() {
  cat <<'USAGE'
Usage: deploy/smoke-test.sh --url <base-url> --token <admin-or-operator-token> [--expect-version <v>] [--deadline <seconds>]

Checks, retrying each step until the deadline (default 120 s):
  1. GET /actuator/health answers 200 with status UP
  2. GET /api/release answers 200 (and its version equals --expect-version when given)
  3. GET /api/sensors with the token answers 200 (authenticated read)
  4. POST /api/sensors creates a scratch sensor (site "smoke-test"), then DELETE removes it (write)
Exit status 0 when every check passed, 1 otherwise.

Options:
  --url <base-url>          service base URL (default $IOT_API_URL)
  --token <token>           ADMIN or OPERATOR token (default $IOT_ADMIN_TOKEN)
  --expect-version <v>      fail unless /api/release reports this version
  --deadline <seconds>      overall time budget (default 120)
  -h, --help                this help
USAGE
}

url=${IOT_API_URL:-}
token=${IOT_ADMIN_TOKEN:-}
expect_version=""
deadline_seconds=120
while (($#)); do
  case "$1" in
    --url) url=${2:?--url needs a value}; shift 2 ;;
    --token) token=${2:?--token needs a value}; shift 2 ;;
    --expect-version) expect_version=${2:?--expect-version needs a value}; shift 2 ;;
    --deadline) deadline_seconds=${2:?--deadline needs a value}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
[[ -n "$url" ]] || die "--url (or IOT_API_URL) is required"
[[ -n "$token" ]] || die "--token (or IOT_ADMIN_TOKEN) is required"
[[ "$deadline_seconds" =~ ^[0-9]+$ ]] || die "--deadline must be a number of seconds"
require_cmd curl jq
url=${url%/}
deadline=$((SECONDS + deadline_seconds))

# retry <description> <function>: runs the check until it succeeds or the deadline passes.
retry() {
  local description=$1 check=$2 delay=2
  while true; do
    if "$check"; then
      log "ok   $description"
      return 0
    fi
    if ((SECONDS + delay > deadline)); then
      die "smoke test failed: $description ($CHECK_ERROR)"
    fi
    log "wait $description ($CHECK_ERROR), retrying in ${delay}s"
    sleep "$delay"
    delay=$((delay < 10 ? delay * 2 : 10))
  done
}

CHECK_ERROR=""

check_health() {
  parse_response "$(http_call GET "$url/actuator/health")"
  [[ "$RESPONSE_STATUS" == 200 ]] || { CHECK_ERROR="HTTP $RESPONSE_STATUS"; return 1; }
  [[ "$(jq -r '.status' <<<"$RESPONSE_BODY" 2>/dev/null)" == UP ]] || { CHECK_ERROR="status is not UP"; return 1; }
}

check_release() {
  local version
  parse_response "$(http_call GET "$url/api/release")"
  [[ "$RESPONSE_STATUS" == 200 ]] || { CHECK_ERROR="HTTP $RESPONSE_STATUS"; return 1; }
  version=$(jq -r '.version // empty' <<<"$RESPONSE_BODY" 2>/dev/null)
  [[ -n "$version" ]] || { CHECK_ERROR="no version in the response"; return 1; }
  if [[ -n "$expect_version" && "$version" != "$expect_version" ]]; then
    CHECK_ERROR="version is $version, expected $expect_version"
    return 1
  fi
  RELEASE_VERSION=$version
}

check_read() {
  parse_response "$(http_call GET "$url/api/sensors?size=1" "$token")"
  [[ "$RESPONSE_STATUS" == 200 ]] || { CHECK_ERROR="HTTP $RESPONSE_STATUS"; return 1; }
  jq -e '.items | type == "array"' >/dev/null 2>&1 <<<"$RESPONSE_BODY" || { CHECK_ERROR="not a page of sensors"; return 1; }
}

scratch_id=""
check_write() {
  local name body
  name="smoke-test $(date -u +%Y%m%dT%H%M%SZ)-$RANDOM"
  body=$(jq -n --arg name "$name" \
    '{name: $name, kind: "TEMPERATURE", site: "smoke-test", offlineAfter: "PT10M", labels: {purpose: "smoke-test"}}')
  parse_response "$(http_call POST "$url/api/sensors" "$token" "$body")"
  [[ "$RESPONSE_STATUS" == 201 ]] || { CHECK_ERROR="create answered HTTP $RESPONSE_STATUS"; return 1; }
  scratch_id=$(jq -r '.id // empty' <<<"$RESPONSE_BODY")
  [[ -n "$scratch_id" ]] || { CHECK_ERROR="create answered no id"; return 1; }
  parse_response "$(http_call DELETE "$url/api/sensors/$scratch_id" "$token")"
  [[ "$RESPONSE_STATUS" == 204 ]] || { CHECK_ERROR="delete answered HTTP $RESPONSE_STATUS"; return 1; }
  scratch_id=""
}

# A scratch sensor left behind by an interrupted run is decommissioned on the way out.
cleanup() {
  if [[ -n "$scratch_id" ]]; then
    http_call DELETE "$url/api/sensors/$scratch_id" "$token" >/dev/null || true
  fi
}
trap cleanup EXIT

log "smoke-testing $url (deadline ${deadline_seconds}s)"
retry "GET /actuator/health is UP" check_health
retry "GET /api/release${expect_version:+ reports $expect_version}" check_release
retry "GET /api/sensors (authenticated read)" check_read
retry "POST + DELETE /api/sensors (scratch sensor)" check_write
log "smoke test passed: $url runs ${RELEASE_VERSION:-?}"
