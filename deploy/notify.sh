#!/usr/bin/env bash
# Posts a deployment event to Slack (incoming webhook). A notification never fails the deployment it reports.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

usage() {
  cat <<'USAGE'
Usage: deploy/notify.sh --status <started|succeeded|failed|rolled-back> --environment <env>
                        [--image <ref>] [--version <v>] [--revision <name>] [--details <text>]

Posts one message to the Slack incoming webhook in $SLACK_WEBHOOK_URL: what happened, where, which image or
revision, who started it and a link to the workflow run ($GITHUB_SERVER_URL/$GITHUB_REPOSITORY/actions/runs/
$GITHUB_RUN_ID when set). Without a webhook, or when Slack does not answer 2xx, it prints a warning and exits 0:
a deployment never fails because of its notification.

Options:
  --status <status>     started, succeeded, failed or rolled-back (failed, traffic back on the previous revision)
  --environment <env>   staging or production
  --image <ref>         image reference, preferably by digest
  --version <v>         version the release reports
  --revision <name>     Container Apps revision concerned
  --details <text>      one more line
  -h, --help            this help
USAGE
}

status=""
environment=""
image=""
version=""
revision=""
details=""
while (($#)); do
  case "$1" in
    --status) status=${2:?--status needs a value}; shift 2 ;;
    --environment) environment=${2:?--environment needs a value}; shift 2 ;;
    --image) image=${2:-}; shift 2 ;;
    --version) version=${2:-}; shift 2 ;;
    --revision) revision=${2:-}; shift 2 ;;
    --details) details=${2:-}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
case "$status" in
  started) icon=":rocket:"; what="deployment started" ;;
  succeeded) icon=":white_check_mark:"; what="deployment succeeded" ;;
  failed) icon=":x:"; what="deployment FAILED" ;;
  rolled-back) icon=":rewind:"; what="deployment failed and was AUTOMATICALLY ROLLED BACK" ;;
  *) die "--status must be started, succeeded, failed or rolled-back, not '$status'" ;;
esac
[[ -n "$environment" ]] || die "--environment is required"
require_cmd curl jq

run_url=""
if [[ -n "${GITHUB_RUN_ID:-}" ]]; then
  run_url="${GITHUB_SERVER_URL:-https://github.com}/${GITHUB_REPOSITORY:-}/actions/runs/$GITHUB_RUN_ID"
fi
text=$(jq -rn --arg icon "$icon" --arg what "$what" --arg env "$environment" --arg version "$version" \
  --arg image "$image" --arg revision "$revision" --arg actor "${GITHUB_ACTOR:-$(id -un)}" \
  --arg workflow "${GITHUB_WORKFLOW:-}" --arg run "$run_url" --arg details "$details" '
  [ "\($icon) *\($env)*: \($what)" + (if $version != "" then " (\($version))" else "" end),
    (if $image != "" then "image: `\($image)`" else empty end),
    (if $revision != "" then "revision: `\($revision)`" else empty end),
    (if $details != "" then $details else empty end),
    "by \($actor)" + (if $workflow != "" then " via \($workflow)" else "" end)
      + (if $run != "" then " – <\($run)|run>" else "" end)
  ] | join("\n")')
payload=$(jq -cn --arg text "$text" '{text: $text}')

if [[ -z "${SLACK_WEBHOOK_URL:-}" ]]; then
  log "warning: SLACK_WEBHOOK_URL is not set; not posted: ${text%%$'\n'*}"
  echo "::warning::Slack notification not sent (SLACK_WEBHOOK_URL is not set): $environment $what"
  exit 0
fi
code=$(http --request POST --header 'Content-Type: application/json' --data "$payload" \
  --output /dev/null --write-out '%{http_code}' "$SLACK_WEBHOOK_URL" || true)
if [[ "$code" != 2* ]]; then
  log "warning: Slack answered HTTP ${code:-000}; not posted: ${text%%$'\n'*}"
  echo "::warning::Slack notification failed (HTTP ${code:-000}): $environment $what"
  exit 0
fi
log "posted to Slack: ${text%%$'\n'*}"
