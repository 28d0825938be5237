#!/bin/sh
# Entrypoint of the Prometheus agent sidecar (passed to /bin/sh -c by infra/modules/container-app): writes the
# scrape token and the configuration ($PROMETHEUS_AGENT_CONFIG, rendered from agent.yml) with this replica's
# name and revision, then runs Prometheus in agent mode (no local rules or queries, only scrape and remote write).
set -eu
dir=/tmp/prometheus-agent
mkdir -p "$dir/wal"
umask 077
printf '%s' "${IOT_ADMIN_TOKEN:?IOT_ADMIN_TOKEN is not set}" >"$dir/scrape-token"
replica=${CONTAINER_APP_REPLICA_NAME:-$(hostname)}
revision=${CONTAINER_APP_REVISION:-unknown}
printf '%s\n' "${PROMETHEUS_AGENT_CONFIG:?PROMETHEUS_AGENT_CONFIG is not set}" |
  sed -e "s/__REPLICA__/$replica/g" -e "s/__REVISION__/$revision/g" >"$dir/prometheus.yml"
exec /bin/prometheus --enable-feature=agent --config.file="$dir/prometheus.yml" \
  --storage.agent.path="$dir/wal" --web.listen-address=127.0.0.1:9090
