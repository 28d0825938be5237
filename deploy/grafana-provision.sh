#!/usr/bin/env bash
# Provisions observability/grafana/dashboards into the environment's Azure Managed Grafana, with the data sources
# they name: "prometheus" (managed Prometheus) and, for the Loki log panels, Log Analytics in KQL.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

usage() {
  cat <<'USAGE'
Usage: deploy/grafana-provision.sh --environment <staging|production> [--resource-group <rg>] [--grafana <name>]
                                   [--dashboards <dir>] [--output <dir>]

Idempotent, run by the infra workflow after every apply (the caller needs Grafana Admin, which infra/ grants to
the pipeline's identity):
  1. data source uid "prometheus": the Azure Monitor workspace amw-iot-api-<env>, managed-identity auth;
  2. data source uid "azure-monitor": Log Analytics (log-iot-api-<env>), managed-identity auth;
  3. folder "IoT API", then every dashboard JSON, overwritten. A Loki query has no Azure back end: each one is
     replaced by its KQL from observability/grafana/azure/log-queries.json (the script refuses a Loki panel
     without one), on the IotApiLogs function of the workspace.
With --output, writes the dashboards as they would be uploaded into that folder instead of calling Grafana.

Options:
  --environment <env>    staging or production
  --resource-group <rg>  default rg-iot-api-<env>
  --grafana <name>       default amg-iot-api-<env>
  --dashboards <dir>     default observability/grafana/dashboards
  --output <dir>         only write the transformed dashboards (no Azure call but the workspace lookups)
  -h, --help             this help
USAGE
}

environment=""
resource_group=""
grafana=""
dashboards="$DEPLOY_DIR/../observability/grafana/dashboards"
queries="$DEPLOY_DIR/../observability/grafana/azure/log-queries.json"
output=""
while (($#)); do
  case "$1" in
    --environment) environment=${2:?--environment needs a value}; shift 2 ;;
    --resource-group) resource_group=${2:?--resource-group needs a value}; shift 2 ;;
    --grafana) grafana=${2:?--grafana needs a value}; shift 2 ;;
    --dashboards) dashboards=${2:?--dashboards needs a value}; shift 2 ;;
    --output) output=${2:?--output needs a value}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
[[ -n "$environment" ]] || die "--environment is required"
validate_environment "$environment"
require_cmd az jq
resource_group=${resource_group:-$(default_resource_group "$environment")}
grafana=${grafana:-amg-iot-api-$environment}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

prometheus_url=$(az monitor account show --resource-group "$resource_group" --name "amw-iot-api-$environment" \
  --query metrics.prometheusQueryEndpoint --output tsv)
workspace_id=$(az monitor log-analytics workspace show --resource-group "$resource_group" \
  --workspace-name "log-iot-api-$environment" --query id --output tsv)
subscription=$(cut -d/ -f3 <<<"$workspace_id")
[[ -n "$prometheus_url" && -n "$workspace_id" ]] || die "the monitoring resources of $environment are missing: apply infra/ first"

# Each Loki target of a panel becomes the panel's KQL query, or the script stops.
transform() {
  jq --arg uid "$1" --arg workspace "$workspace_id" --slurpfile kql "$queries" '
    def azure($query): {refId: "A", datasource: {type: "grafana-azure-monitor-datasource", uid: "azure-monitor"},
      queryType: "Azure Log Analytics",
      azureLogAnalytics: {query: $query, resources: [$workspace], resultFormat: "logs"}};
    def fix:
      (if has("panels") then .panels |= map(fix) else . end)
      | if ([.targets[]? | (.datasource // {}).uid] + [(.datasource // {}).uid] | index("loki")) != null then
          . as $panel
          | ($kql[0].queries[$uid][$panel.title] // error("no KQL for the Loki panel \"\($panel.title)\" of \($uid) in log-queries.json")) as $byRef
          | .datasource = {type: "grafana-azure-monitor-datasource", uid: "azure-monitor"}
          | .targets = [.targets[] | azure($byRef[.refId] // error("no KQL for \($panel.title) [\(.refId)] of \($uid)")) + {refId: .refId}]
        else . end;
    .id = null | .panels |= map(fix)' "$2"
}

mkdir -p "$work/dashboards"
for file in "$dashboards"/*.json; do
  uid=$(jq -r '.uid' "$file")
  transform "$uid" "$file" >"$work/dashboards/$(basename "$file")" || die "cannot adapt $file for Azure"
done
if [[ -n "$output" ]]; then
  mkdir -p "$output"
  cp "$work/dashboards/"*.json "$output/"
  log "wrote $(find "$output" -name '*.json' | wc -l) dashboard(s) to $output"
  exit 0
fi

upsert_data_source() {
  local uid=$1 definition=$2
  if az grafana data-source show --name "$grafana" --resource-group "$resource_group" --data-source "$uid" --output none 2>/dev/null; then
    az grafana data-source update --name "$grafana" --resource-group "$resource_group" --data-source "$uid" \
      --definition "@$definition" --output none
  else
    az grafana data-source create --name "$grafana" --resource-group "$resource_group" --definition "@$definition" --output none
  fi
  log "data source $uid ready"
}

jq -n --arg url "$prometheus_url" '{name: "Managed Prometheus", uid: "prometheus", type: "prometheus", access: "proxy",
  url: $url, isDefault: true, jsonData: {httpMethod: "POST", timeInterval: "15s", azureCredentials: {authType: "msi"}}}' \
  >"$work/prometheus.json"
upsert_data_source prometheus "$work/prometheus.json"
jq -n --arg subscription "$subscription" '{name: "Azure Monitor", uid: "azure-monitor",
  type: "grafana-azure-monitor-datasource", access: "proxy",
  jsonData: {azureAuthType: "msi", subscriptionId: $subscription}}' >"$work/azure-monitor.json"
upsert_data_source azure-monitor "$work/azure-monitor.json"

if ! az grafana folder show --name "$grafana" --resource-group "$resource_group" --folder "IoT API" --output none 2>/dev/null; then
  az grafana folder create --name "$grafana" --resource-group "$resource_group" --title "IoT API" --output none
fi
for file in "$work/dashboards/"*.json; do
  az grafana dashboard create --name "$grafana" --resource-group "$resource_group" --folder "IoT API" \
    --definition "@$file" --overwrite true --output none
  log "dashboard $(jq -r '.title' "$file") provisioned"
done
log "Grafana $grafana: $(find "$work/dashboards" -name '*.json' | wc -l) dashboard(s) provisioned"
