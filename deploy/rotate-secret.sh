#!/usr/bin/env bash
# Rotates one of the environment's Key Vault secrets end to end, consistently with Terraform (which only creates
# their first value): new Key Vault version, every consumer pointed at it, every active revision restarted.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

usage() {
  cat <<'USAGE'
Usage: deploy/rotate-secret.sh --environment <staging|production> --secret <name> [--repository <owner/repo>]
                               [--resource-group <rg>] [--app <name>] [--key-vault <name>] [--skip-github]

Secrets (Key Vault names):
  iot-admin-token          new token -> Key Vault -> the app's secret pinned to that version -> every active
                           revision restarted (the standby one too) -> smoke test with the new token -> GitHub
                           environment secret IOT_ADMIN_TOKEN of <env> updated (gh), so the next deploy's
                           PRE_DEPLOY backup authenticates.
  database-password        new password -> Key Vault -> database-role job sets it on the role iot_app -> the
                           app's secret pinned to that version -> every active revision restarted -> smoke test.
  database-admin-password  new password -> Key Vault -> PostgreSQL administrator (az postgres flexible-server
                           update) -> the database-role job's secret pinned to that version. No restart.

Terraform ignores these values after creating them (lifecycle ignore_changes), so an apply never writes an old
one back; its next apply only turns the pinned version reference back into the versionless one (same value).
Runbook: runbooks/rotate-secrets.md

Options:
  --environment <env>        staging or production
  --secret <name>            iot-admin-token, database-password or database-admin-password
  --repository <owner/repo>  repository of the GitHub secret (default $GITHUB_REPOSITORY, else gh's current repo)
  --resource-group <rg>      default rg-iot-api-<env>
  --app <name>               default ca-iot-api-<env>
  --key-vault <name>         default: the Key Vault of the resource group
  --skip-github              do not update the GitHub secret (say so to whoever owns it)
  -h, --help                 this help
USAGE
}

environment=""
secret=""
repository=${GITHUB_REPOSITORY:-}
resource_group=""
app=""
key_vault=""
skip_github=false
while (($#)); do
  case "$1" in
    --environment) environment=${2:?--environment needs a value}; shift 2 ;;
    --secret) secret=${2:?--secret needs a value}; shift 2 ;;
    --repository) repository=${2:?--repository needs a value}; shift 2 ;;
    --resource-group) resource_group=${2:?--resource-group needs a value}; shift 2 ;;
    --app) app=${2:?--app needs a value}; shift 2 ;;
    --key-vault) key_vault=${2:?--key-vault needs a value}; shift 2 ;;
    --skip-github) skip_github=true; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
[[ -n "$environment" ]] || die "--environment is required"
validate_environment "$environment"
case "$secret" in
  iot-admin-token | database-password | database-admin-password) ;;
  *) die "--secret must be iot-admin-token, database-password or database-admin-password, not '$secret'" ;;
esac
require_cmd az curl jq base64
if [[ "$secret" == iot-admin-token && "$skip_github" != true ]]; then
  require_cmd gh
fi
resource_group=${resource_group:-$(default_resource_group "$environment")}
app=${app:-$(default_app_name "$environment")}
key_vault=${key_vault:-$(key_vault_of "$resource_group")}
identity=$(app_identity_id "$resource_group" "$environment")
[[ -n "$identity" ]] || die "no identity id-iot-api-$environment in $resource_group"

# The new value only ever lives in a 0600 file that is removed on exit: never in an argument or a log line.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 700 "$work"
value_file="$work/value"
(umask 077 && random_secret 48 >"$value_file")

log "rotating $secret of $environment: new version in Key Vault $key_vault"
version_id=$(az keyvault secret set --vault-name "$key_vault" --name "$secret" --file "$value_file" \
  --encoding utf-8 --query id --output tsv)
[[ "$version_id" == */secrets/"$secret"/* ]] || die "Key Vault answered no version id for $secret: $version_id"
log "Key Vault $secret is now $version_id"

pin_app_secret() {
  log "pinning the app's $secret to $version_id"
  az containerapp secret set --resource-group "$resource_group" --name "$app" \
    --secrets "$secret=keyvaultref:$version_id,identityref:$identity" --output none
}

smoke_test() {
  local token_file=$1 fqdn
  fqdn=$(az containerapp show --resource-group "$resource_group" --name "$app" \
    --query properties.configuration.ingress.fqdn --output tsv)
  IOT_ADMIN_TOKEN=$(<"$token_file") "$DEPLOY_DIR/smoke-test.sh" --url "$(app_url "$fqdn")" \
    --deadline "${IOT_SMOKE_DEADLINE:-180}"
}

case "$secret" in
  iot-admin-token)
    pin_app_secret
    restart_active_revisions "$resource_group" "$app"
    smoke_test "$value_file"
    if [[ "$skip_github" == true ]]; then
      log "--skip-github: update the GitHub environment secret IOT_ADMIN_TOKEN of $environment by hand"
    else
      log "updating the GitHub environment secret IOT_ADMIN_TOKEN of $environment${repository:+ in $repository}"
      gh secret set IOT_ADMIN_TOKEN --env "$environment" ${repository:+--repo "$repository"} <"$value_file"
    fi
    ;;
  database-password)
    "$DEPLOY_DIR/database-role.sh" --environment "$environment" --resource-group "$resource_group" \
      --app-password-secret "$version_id"
    pin_app_secret
    restart_active_revisions "$resource_group" "$app"
    token_file="$work/admin-token"
    if [[ -n "${IOT_ADMIN_TOKEN:-}" ]]; then
      printf '%s' "$IOT_ADMIN_TOKEN" >"$token_file"
    else
      az keyvault secret show --vault-name "$key_vault" --name iot-admin-token --query value --output tsv >"$token_file"
    fi
    smoke_test "$token_file"
    ;;
  database-admin-password)
    server=$(az postgres flexible-server list --resource-group "$resource_group" --query '[0].name' --output tsv)
    [[ -n "$server" ]] || die "no PostgreSQL server in $resource_group"
    log "setting the administrator password of $server"
    # The Azure CLI takes the password only as an argument; it is visible to this machine's process list briefly.
    az postgres flexible-server update --resource-group "$resource_group" --name "$server" \
      --admin-password "$(<"$value_file")" --output none
    job="job-iot-api-$environment-db-role"
    log "pinning the database-role job's database-admin-password to $version_id"
    az containerapp job secret set --resource-group "$resource_group" --name "$job" \
      --secrets "database-admin-password=keyvaultref:$version_id,identityref:$identity" --output none
    ;;
esac
log "rotated $secret of $environment ($version_id)"
