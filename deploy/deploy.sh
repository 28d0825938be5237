#!/usr/bin/env bash
# Deploys an image to an Azure Container App as a new revision: backup, 0% revision, smoke test, canary, 100%.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

usage() {
  cat <<'USAGE'
Usage: deploy/deploy.sh --environment <staging|production> --image <ref> [--resource-group <rg>] [--app <name>]
                        [--token <admin-token>] [--expect-version <v>] [--canary-weight <percent>]
                        [--canary-seconds <seconds>] [--smoke-deadline <seconds>] [--revision-suffix <suffix>]
                        [--skip-backup]

The app runs in multiple revision mode. In order, stopping at the first failure:
  1. PRE_DEPLOY backup of the live revision (deploy/backup.sh --wait), unless --skip-backup or first deploy
  2. traffic pinned to the live revision, then a new revision with the image at 0% traffic
  3. the new revision labelled "candidate" and smoke-tested through its label URL (deploy/smoke-test.sh)
  4. canary: --canary-weight % of the traffic (default 10) for --canary-seconds (default 60), smoke test again
  5. 100% to the new revision; the previous one stays active (instant rollback: deploy/rollback.sh)
On any failure after step 2 the traffic goes back to 100% on the previous revision and the script exits 1.
Writes previous-revision= and revision= to $GITHUB_OUTPUT when set.

Options:
  --environment <env>         staging or production
  --image <ref>               image reference, preferably by digest (ghcr.io/acme/iot-api@sha256:...)
  --resource-group <rg>       default rg-iot-api-<env>
  --app <name>                default ca-iot-api-<env>
  --token <token>             ADMIN token of the service (default $IOT_ADMIN_TOKEN)
  --expect-version <v>        version the new revision must report (default: the image tag, when SemVer)
  --canary-weight <percent>   share of traffic during the canary step (1-99, default 10)
  --canary-seconds <seconds>  how long the canary runs (default 60)
  --smoke-deadline <seconds>  time budget of each smoke test (default 300)
  --revision-suffix <suffix>  default: the version or the image digest's first 8 characters, plus the time
  --skip-backup               no PRE_DEPLOY backup (e.g. nothing worth saving in a fresh environment)
  -h, --help                  this help
USAGE
}

environment=""
image=""
resource_group=""
app=""
token=${IOT_ADMIN_TOKEN:-}
expect_version=""
canary_weight=10
canary_seconds=60
smoke_deadline=300
revision_suffix=""
skip_backup=false
while (($#)); do
  case "$1" in
    --environment) environment=${2:?--environment needs a value}; shift 2 ;;
    --image) image=${2:?--image needs a value}; shift 2 ;;
    --resource-group) resource_group=${2:?--resource-group needs a value}; shift 2 ;;
    --app) app=${2:?--app needs a value}; shift 2 ;;
    --token) token=${2:?--token needs a value}; shift 2 ;;
    --expect-version) expect_version=${2:?--expect-version needs a value}; shift 2 ;;
    --canary-weight) canary_weight=${2:?--canary-weight needs a value}; shift 2 ;;
    --canary-seconds) canary_seconds=${2:?--canary-seconds needs a value}; shift 2 ;;
    --smoke-deadline) smoke_deadline=${2:?--smoke-deadline needs a value}; shift 2 ;;
    --revision-suffix) revision_suffix=${2:?--revision-suffix needs a value}; shift 2 ;;
    --skip-backup) skip_backup=true; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
[[ -n "$environment" ]] || die "--environment is required"
validate_environment "$environment"
[[ -n "$image" ]] || die "--image is required"
[[ -n "$token" ]] || die "--token (or IOT_ADMIN_TOKEN) is required: the backup and the smoke test need it"
if ! [[ "$canary_weight" =~ ^[0-9]+$ ]] || ((canary_weight < 1 || canary_weight > 99)); then
  die "--canary-weight must be 1-99"
fi
[[ "$canary_seconds" =~ ^[0-9]+$ ]] || die "--canary-seconds must be a number of seconds"
require_cmd az curl jq
resource_group=${resource_group:-$(default_resource_group "$environment")}
app=${app:-$(default_app_name "$environment")}
expect_version=${expect_version:-$(version_from_image "$image")}
if [[ -z "$revision_suffix" ]]; then
  if [[ -n "$expect_version" ]]; then
    revision_suffix="v$expect_version"
  else
    digest=${image##*@sha256:}
    revision_suffix="i${digest:0:8}"
  fi
  # Container Apps: lower-case letters, digits and single dashes, starting with a letter
  revision_suffix=$(tr '[:upper:]' '[:lower:]' <<<"${revision_suffix:0:24}" | tr -c 'a-z0-9\n' '-' | tr -s '-')
  revision_suffix="${revision_suffix%-}-$(date -u +%m%d%H%M)"
fi
new_revision="$app--$revision_suffix"
azargs=(--resource-group "$resource_group" --name "$app")

fqdn=$(az containerapp show "${azargs[@]}" --query properties.configuration.ingress.fqdn --output tsv)
[[ -n "$fqdn" ]] || die "container app $app in $resource_group has no ingress FQDN"
previous=$(live_revision "$resource_group" "$app")
live_url=$(app_url "$fqdn")
log "deploying $image to $app ($environment); live revision: ${previous:-none}; new revision: $new_revision"

if [[ -n "$previous" && "$skip_backup" != true ]]; then
  log "step 1: PRE_DEPLOY backup of $live_url"
  "$DEPLOY_DIR/backup.sh" --url "$live_url" --token "$token" --trigger PRE_DEPLOY \
    --label "before ${expect_version:-$image}" --wait >/dev/null
else
  log "step 1: no PRE_DEPLOY backup ($([[ -n "$previous" ]] && echo --skip-backup || echo 'first deploy'))"
fi

# From here on, any failure puts the traffic back on the previous revision.
traffic_changed=false
on_failure() {
  local status=$?
  trap - EXIT
  if ((status != 0)); then
    if [[ -n "$previous" && "$traffic_changed" == true ]]; then
      log "deploy failed: moving 100% of the traffic back to $previous"
      az containerapp ingress traffic set "${azargs[@]}" --revision-weight "$previous=100" --output none ||
        log "ERROR: could not restore the traffic; run: deploy/rollback.sh --environment $environment --to $previous --force"
    fi
    az containerapp revision label remove "${azargs[@]}" --label candidate --output none 2>/dev/null || true
    # a failed revision stops running (and costing); on a first deploy it is all there is, so it stays
    if [[ -n "$previous" ]] && az containerapp revision show "${azargs[@]}" --revision "$new_revision" --output none 2>/dev/null; then
      az containerapp revision deactivate "${azargs[@]}" --revision "$new_revision" --output none || true
    fi
    log "deploy of $image FAILED; traffic is on ${previous:-no revision}"
  fi
  exit "$status"
}
trap on_failure EXIT

log "step 2: new revision $new_revision at 0% traffic"
if [[ -n "$previous" ]]; then
  # Pinning the traffic to a named revision keeps the new revision at 0% (no "latest revision" rule).
  az containerapp ingress traffic set "${azargs[@]}" --revision-weight "$previous=100" --output none
fi
traffic_changed=true
# --container-name: each replica also runs the prometheus-agent sidecar, whose image stays Terraform's.
az containerapp update "${azargs[@]}" --container-name iot-api --image "$image" --revision-suffix "$revision_suffix" --output none

deadline=$((SECONDS + 600))
while true; do
  state=$(az containerapp revision show "${azargs[@]}" --revision "$new_revision" \
    --query '[properties.provisioningState, properties.runningState, properties.healthState]' --output tsv | tr '\t\n' '  ')
  log "revision $new_revision: $state"
  case "$state" in
    *Failed* | *Unhealthy*) die "revision $new_revision did not start: $state" ;;
    Provisioned*Healthy*) break ;;
  esac
  ((SECONDS < deadline)) || die "revision $new_revision not healthy after 600s: $state"
  sleep 10
done

log "step 3: smoke test of $new_revision through its label URL"
az containerapp revision label add "${azargs[@]}" --revision "$new_revision" --label candidate --yes --output none
candidate_url=$(label_url "$fqdn" candidate)
"$DEPLOY_DIR/smoke-test.sh" --url "$candidate_url" --token "$token" ${expect_version:+--expect-version "$expect_version"} --deadline "$smoke_deadline"

if [[ -n "$previous" ]]; then
  log "step 4: canary, $canary_weight% to $new_revision for ${canary_seconds}s"
  az containerapp ingress traffic set "${azargs[@]}" \
    --revision-weight "$previous=$((100 - canary_weight))" "$new_revision=$canary_weight" --output none
  sleep "$canary_seconds"
  "$DEPLOY_DIR/smoke-test.sh" --url "$candidate_url" --token "$token" ${expect_version:+--expect-version "$expect_version"} --deadline "$smoke_deadline"
fi

log "step 5: 100% to $new_revision"
if [[ -n "$previous" ]]; then
  az containerapp ingress traffic set "${azargs[@]}" --revision-weight "$previous=0" "$new_revision=100" --output none
else
  az containerapp ingress traffic set "${azargs[@]}" --revision-weight "$new_revision=100" --output none
fi
"$DEPLOY_DIR/smoke-test.sh" --url "$live_url" --token "$token" ${expect_version:+--expect-version "$expect_version"} --deadline "$smoke_deadline"
az containerapp revision label remove "${azargs[@]}" --label candidate --output none || true

if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
  printf 'previous-revision=%s\nrevision=%s\n' "$previous" "$new_revision" >>"$GITHUB_OUTPUT"
fi
log "deployed $image: $new_revision serves 100% (previous: ${previous:-none})"
