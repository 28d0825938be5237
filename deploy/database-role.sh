#!/usr/bin/env bash
# Runs the database-role job (infra/modules/database-role): creates or updates the application's PostgreSQL role.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

usage() {
  cat <<'USAGE'
Usage: deploy/database-role.sh --environment <staging|production> [--resource-group <rg>] [--job <name>]
                               [--app-password-secret <key-vault-secret-id>] [--timeout <seconds>]

Starts the Container Apps job job-iot-api-<env>-db-role and waits for it. The job runs
infra/modules/database-role/app-role.sql as the PostgreSQL administrator inside the environment's network
(the server has no public access): the application role iot_app with LOGIN and CREATEDB, owner of the
application database and of everything in it, CONNECT on postgres, its password from Key Vault. Idempotent;
the infra workflow runs it after every apply.

Options:
  --environment <env>                 staging or production
  --resource-group <rg>               default rg-iot-api-<env>
  --job <name>                        default job-iot-api-<env>-db-role
  --app-password-secret <secret-id>   pin the job's database-password to this Key Vault secret version first
                                      (a rotation: Container Apps may serve a cached older version for 30 min)
  --timeout <seconds>                 how long to wait for the job (default 600)
  -h, --help                          this help
USAGE
}

environment=""
resource_group=""
job=""
app_password_secret=""
timeout=600
while (($#)); do
  case "$1" in
    --environment) environment=${2:?--environment needs a value}; shift 2 ;;
    --resource-group) resource_group=${2:?--resource-group needs a value}; shift 2 ;;
    --job) job=${2:?--job needs a value}; shift 2 ;;
    --app-password-secret) app_password_secret=${2:?--app-password-secret needs a value}; shift 2 ;;
    --timeout) timeout=${2:?--timeout needs a value}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
[[ -n "$environment" ]] || die "--environment is required"
validate_environment "$environment"
require_cmd az
resource_group=${resource_group:-$(default_resource_group "$environment")}
job=${job:-job-iot-api-$environment-db-role}

if [[ -n "$app_password_secret" ]]; then
  identity=$(app_identity_id "$resource_group" "$environment")
  log "pinning the job's database-password to $app_password_secret"
  az containerapp job secret set --resource-group "$resource_group" --name "$job" \
    --secrets "database-password=keyvaultref:$app_password_secret,identityref:$identity" --output none
fi

execution=$(az containerapp job start --resource-group "$resource_group" --name "$job" --query name --output tsv)
[[ -n "$execution" ]] || die "job $job did not start"
log "job $job started: execution $execution"
deadline=$((SECONDS + timeout))
while true; do
  status=$(az containerapp job execution show --resource-group "$resource_group" --name "$job" \
    --job-execution-name "$execution" --query properties.status --output tsv)
  case "$status" in
    Succeeded) log "job $job: $execution succeeded"; break ;;
    Failed | Stopped | Degraded)
      die "job $job: $execution $status; its output: az containerapp job logs show -g $resource_group -n $job --execution $execution --container psql" ;;
  esac
  ((SECONDS < deadline)) || die "job $job: $execution still ${status:-unknown} after ${timeout}s"
  sleep 5
done
