#!/usr/bin/env bash
# Start-to-ready benchmark of the service against spring-petclinic: same machine, same JVM, same run.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: src/test/bench/startup.sh [options] <petclinic-dir-or-jar>

Starts the packaged service and spring-petclinic (a clone of spring-projects/spring-petclinic, built here with
./mvnw -DskipTests package, or its jar) one after the other, several times, and measures start to ready: from
launching the JVM to the first 200 of GET /actuator/health/readiness (polled every 50 ms on 127.0.0.1). Prints
the medians, their ratio service / petclinic (target <= 1.0) and the median of each run's ratio (steadier on a
busy machine), the CPU seconds the JVM used until ready and its RSS at that moment. One untimed warm-up start of each comes first. Not part of ./mvnw verify.

Modes (--modes, comma-separated; default all four):
  jar-embedded    java -jar; the service on its embedded PostgreSQL with a new data directory each run (initdb
                  included; the binaries are extracted once, as on a developer machine), petclinic on its
                  default in-memory H2
  jar-external    java -jar; both on one throw-away PostgreSQL 15 (Debian's initdb, a free port): the service
                  on database iot (migrated by the warm-up start), petclinic on database petclinic (its
                  postgres profile)
  image-external  the image's layers (target/jib-image.tar) launched like its entrypoint, with its JVM flags,
                  -XX:MaxRAM of the replica (--container-memory) and an AOT cache trained as the image build
                  does (.ci/aot-cache.sh), on --image-java; external PostgreSQL; petclinic: java -jar on the
                  same JVM
  image-embedded  the same on the embedded PostgreSQL, with a new temporary directory each run, as in a new
                  container (binaries extracted and initdb each time)

Options:
  --runs N              timed starts of each application per mode (default 5)
  --modes LIST          see above
  --java PATH           JVM of the jar modes (default: java on the PATH)
  --image-java PATH     JVM of the image modes (default /usr/lib/jvm/temurin-25-jdk-amd64/bin/java: the image
                        runs Java 25)
  --container-memory M  memory of the emulated replica, for the image's percentage-based heap (default 1g)
  --no-aot-cache        image modes without the AOT cache
  --image-tar FILE      the image tarball (default target/jib-image.tar)
  --rss                 afterwards, peak RSS under load: the service with the image's flags (and AOT cache) on
                        the external PostgreSQL, sensors registered, gateway batches (ReadingsLoad.java) and
                        single POSTs (wrk, 64 connections) while RSS is sampled every 200 ms
  --rss-readings N      readings posted in 1,000-reading batches by 4 clients (default 1000000)
  --rss-wrk-duration D  single-POST phase (default 30s)
  --rss-java-opts OPTS  JVM options replacing the image's flags in the --rss run (to compare settings)
  --skip-build          use target/ as it is (and the petclinic jar if a directory is given)
  --timeout S           give up on a start after S seconds (default 300)
  -h, --help            this help

Needs: a JDK >= 17, Temurin 25 for the image modes, /usr/lib/postgresql/15/bin (Debian postgresql-15), psql,
curl, python3, and wrk for --rss.
USAGE
}

runs=5
modes="jar-embedded,jar-external,image-external,image-embedded"
java_bin=java
image_java=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
container_memory=1g
aot_cache=true
image_tar=""
rss=false
rss_readings=1000000
rss_wrk_duration=30s
rss_java_opts=""
skip_build=false
timeout_s=300
petclinic=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --modes) modes="$2"; shift 2 ;;
    --java) java_bin="$2"; shift 2 ;;
    --image-java) image_java="$2"; shift 2 ;;
    --container-memory) container_memory="$2"; shift 2 ;;
    --no-aot-cache) aot_cache=false; shift ;;
    --image-tar) image_tar="$2"; shift 2 ;;
    --rss) rss=true; shift ;;
    --rss-readings) rss_readings="$2"; shift 2 ;;
    --rss-wrk-duration) rss_wrk_duration="$2"; shift 2 ;;
    --rss-java-opts) rss_java_opts="$2"; shift 2 ;;
    --skip-build) skip_build=true; shift ;;
    --timeout) timeout_s="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "Unknown option: $1" >&2; usage >&2; exit 2 ;;
    *) petclinic="$1"; shift ;;
  esac
done
[[ -n "$petclinic" ]] || { usage >&2; exit 2; }

pg_bin=/usr/lib/postgresql/15/bin
bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project_dir="$(cd "$bench_dir/../../.." && pwd)"
work="$(mktemp -d /tmp/startup-bench.XXXXXX)"
app_pid=""
sampler_pid=""

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# PostgreSQL refuses to run as root: then the server runs as the unprivileged user "postgres".
pg_() {
  if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Stops a process by its PID: SIGTERM, then SIGKILL after 60 s.
stop_pid() {
  local pid="$1"
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 600); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# An embedded PostgreSQL left behind by a killed service: stopped by the PID in its data directory.
stop_postmaster() {
  local data="$1" pid
  [[ -f "$data/postmaster.pid" ]] || return 0
  pid="$(head -n 1 "$data/postmaster.pid")"
  kill -INT "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
}

cleanup() {
  [[ -z "$sampler_pid" ]] || kill "$sampler_pid" 2>/dev/null || true
  [[ -z "$app_pid" ]] || stop_pid "$app_pid"
  local data
  for data in "$work"/runs/*/pg "$work/pg"; do
    [[ -d "$data" ]] && stop_postmaster "$data"
  done
  rm -rf "$work"
}
trap cleanup EXIT

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# --- builds ---------------------------------------------------------------------------------------------------
if [[ -d "$petclinic" ]]; then
  if [[ "$skip_build" != true ]] || ! compgen -G "$petclinic/target/spring-petclinic-*.jar" >/dev/null; then
    log "Building spring-petclinic in $petclinic (./mvnw -DskipTests package)"
    (cd "$petclinic" && ./mvnw -B -q -DskipTests package >/dev/null)
  fi
  petclinic_jar="$(find "$petclinic/target" -maxdepth 1 -name 'spring-petclinic-*.jar' ! -name '*-plain.jar' | head -n 1)"
else
  petclinic_jar="$petclinic"
fi
[[ -f "$petclinic_jar" ]] || { echo "No petclinic jar at $petclinic" >&2; exit 1; }
if [[ "$skip_build" != true ]]; then
  log "Packaging the service and its image tarball (./mvnw -DskipTests package)"
  (cd "$project_dir" && ./mvnw -B -q -Dskip.npm -DskipTests package >/dev/null)
fi
jar="$(find "$project_dir/target" -maxdepth 1 -name 'iot-api-*.jar' | head -n 1)"
[[ -n "$jar" ]] || { echo "No target/iot-api-*.jar; run without --skip-build" >&2; exit 1; }
[[ -n "$image_tar" ]] || image_tar="$project_dir/target/jib-image.tar"

# --- PostgreSQL for the external modes --------------------------------------------------------------------------
pg_port=""
start_postgres() {
  [[ -z "$pg_port" ]] || return 0
  mkdir -p "$work/pg" "$work/pg-run"
  if [[ $EUID -eq 0 ]]; then chown postgres "$work/pg" "$work/pg-run"; chmod 755 "$work"; fi
  pg_port="$(free_port)"
  log "Starting PostgreSQL 15 on 127.0.0.1:$pg_port"
  pg_ "$pg_bin/initdb" -D "$work/pg" -U postgres --auth=trust --encoding=UTF8 >/dev/null
  pg_ "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg-run/pg.log" -w start \
    -o "-p $pg_port -k $work/pg-run -c listen_addresses=127.0.0.1" >/dev/null
  psql -X -q -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c "create database iot" -c "create database petclinic"
}

# --- one start ----------------------------------------------------------------------------------------------------
clock_ticks="$(getconf CLK_TCK)"
# Starts "$@" --server.port=<free port>, waits for readiness, stops it; result=(<ms> <cpu ms> <rss MB>).
result=()
measure_start() {
  local name="$1" logfile="$2" port began ended ticks rss_kb
  shift 2
  port="$(free_port)"
  began="$(date +%s%N)"
  "$@" --server.port="$port" >"$logfile" 2>&1 &
  app_pid=$!
  while ! curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$port/actuator/health/readiness" 2>/dev/null; do
    if ! kill -0 "$app_pid" 2>/dev/null; then
      echo "$name exited before it was ready; its log:" >&2
      tail -n 40 "$logfile" >&2
      exit 1
    fi
    if (( ($(date +%s%N) - began) / 1000000000 > timeout_s )); then
      echo "$name was not ready after $timeout_s s" >&2
      exit 1
    fi
    sleep 0.05
  done
  ended="$(date +%s%N)"
  ticks="$(awk '{ print $14 + $15 }' "/proc/$app_pid/stat")"
  rss_kb="$(awk '/VmRSS/ { print $2 }' "/proc/$app_pid/status")"
  stop_pid "$app_pid"
  app_pid=""
  result=("$(( (ended - began) / 1000000 ))" "$(( ticks * 1000 / clock_ticks ))" "$(( rss_kb / 1024 ))")
}

# --- the image's launch command ----------------------------------------------------------------------------------
image_launch=()
image_env=()
prepare_image() {
  (( ${#image_launch[@]} == 0 )) || return 0
  [[ -f "$image_tar" ]] || { echo "No $image_tar (built by ./mvnw package unless -Dskip.image)" >&2; exit 1; }
  local extra=(--unpack-only)
  if [[ "$aot_cache" == true ]]; then
    extra=()
    log "Training the image's AOT cache with $image_java (.ci/aot-cache.sh)"
  fi
  "$project_dir/.ci/aot-cache.sh" --java "$image_java" --root "$work/image" --tarball "$image_tar" \
    --output "$work/image/aot" "${extra[@]}" >/dev/null
  mapfile -t image_launch <"$work/image/aot/launch.local"
  mapfile -t image_env <"$work/image/aot/environment.local"
  image_launch=("$image_java" "-XX:MaxRAM=$container_memory" "${image_launch[@]}")
  if [[ "$aot_cache" == true ]]; then
    image_launch=("${image_launch[0]}" "-XX:AOTCache=$work/image/aot/iot-api.aot" "${image_launch[@]:1}")
  fi
}

# The image's command (with its environment variables) with the JVM's temporary directory moved to $1.
image_command() {
  local tmp="$1" arg
  printf '%s\n' env "${image_env[@]}"
  for arg in "${image_launch[@]}"; do
    if [[ "$arg" == -Djava.io.tmpdir=* ]]; then printf '%s\n' "-Djava.io.tmpdir=$tmp"; else printf '%s\n' "$arg"; fi
  done
}

# --- modes -----------------------------------------------------------------------------------------------------------
admin_token="bench-admin-$RANDOM$RANDOM"
export IOT_ADMIN_TOKEN="$admin_token"
mkdir -p "$work/runs" "$work/tmp"
report=()

# Fills the arrays service_cmd and petclinic_cmd for mode $1 and run directory $2.
commands() {
  local mode="$1" dir="$2"
  mkdir -p "$dir/tmp"
  service_cmd=()
  petclinic_cmd=()
  case "$mode" in
    jar-*)
      service_cmd=("$java_bin" -Djava.io.tmpdir="$work/tmp" -jar "$jar")
      petclinic_cmd=("$java_bin" -jar "$petclinic_jar") ;;
    image-*)
      if [[ "$mode" == image-embedded ]]; then
        mapfile -t service_cmd < <(image_command "$dir/tmp")
      else
        mapfile -t service_cmd < <(image_command "$work/tmp")
      fi
      petclinic_cmd=("$image_java" -jar "$petclinic_jar") ;;
  esac
  service_cmd+=(--iot.security.admin-token-file="$dir/admin-token" --iot.backup.filesystem.directory="$dir/backups")
  case "$mode" in
    *-embedded)
      service_cmd+=(--iot.database.embedded.data-directory="$dir/pg") ;;
    *-external)
      service_cmd=(env SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:$pg_port/iot" SPRING_DATASOURCE_USERNAME=postgres
        SPRING_DATASOURCE_PASSWORD= "${service_cmd[@]}")
      petclinic_cmd=(env POSTGRES_URL="jdbc:postgresql://127.0.0.1:$pg_port/petclinic" POSTGRES_USER=postgres
        POSTGRES_PASS= "${petclinic_cmd[@]}" --spring.profiles.active=postgres) ;;
  esac
  petclinic_cmd+=(--management.endpoint.health.probes.enabled=true)
}

run_mode() {
  local mode="$1" i dir
  local service_ms=() service_cpu=() service_rss=() petclinic_ms=() petclinic_cpu=() petclinic_rss=() ratios=()
  [[ "$mode" == *-external ]] && start_postgres
  [[ "$mode" == image-* ]] && prepare_image
  log "$mode: warm-up start of each"
  commands "$mode" "$work/runs/warmup"
  measure_start service "$work/runs/warmup/service.log" "${service_cmd[@]}"
  stop_postmaster "$work/runs/warmup/pg"
  measure_start petclinic "$work/runs/warmup/petclinic.log" "${petclinic_cmd[@]}"
  for i in $(seq 1 "$runs"); do
    dir="$work/runs/$mode-$i"
    commands "$mode" "$dir"
    # alternate which one starts first, so that neither always follows the other's shutdown
    local order=(service petclinic)
    (( i % 2 == 0 )) && order=(petclinic service)
    local who
    for who in "${order[@]}"; do
      if [[ "$who" == service ]]; then
        measure_start service "$dir/service.log" "${service_cmd[@]}"
        service_ms+=("${result[0]}"); service_cpu+=("${result[1]}"); service_rss+=("${result[2]}")
        stop_postmaster "$dir/pg"
      else
        measure_start petclinic "$dir/petclinic.log" "${petclinic_cmd[@]}"
        petclinic_ms+=("${result[0]}"); petclinic_cpu+=("${result[1]}"); petclinic_rss+=("${result[2]}")
      fi
    done
    ratios+=("$(awk -v a="${service_ms[-1]}" -v b="${petclinic_ms[-1]}" 'BEGIN { printf "%.2f", a / b }')")
    log "$mode run $i/$runs: service ${service_ms[-1]} ms, petclinic ${petclinic_ms[-1]} ms (load $(cut -d' ' -f1 /proc/loadavg))"
    rm -rf "$dir"
  done
  local s p
  s="$(echo "${service_ms[*]}" | median)"
  p="$(echo "${petclinic_ms[*]}" | median)"
  report+=("$(printf '%-15s %8.1f s %8.1f s %7.2f %7.2f   %5.1f / %5.1f s   %4s / %4s MB   %s' "$mode" \
    "$(awk -v v="$s" 'BEGIN { print v / 1000 }')" "$(awk -v v="$p" 'BEGIN { print v / 1000 }')" \
    "$(awk -v a="$s" -v b="$p" 'BEGIN { print a / b }')" "$(echo "${ratios[*]}" | median)" \
    "$(echo "${service_cpu[*]}" | median | awk '{ print $1 / 1000 }')" \
    "$(echo "${petclinic_cpu[*]}" | median | awk '{ print $1 / 1000 }')" \
    "$(echo "${service_rss[*]}" | median)" "$(echo "${petclinic_rss[*]}" | median)" "${ratios[*]}")")
}

IFS=',' read -r -a mode_list <<<"$modes"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
for mode in "${mode_list[@]}"; do
  case "$mode" in
    jar-embedded|jar-external|image-external|image-embedded) run_mode "$mode" ;;
    *) echo "Unknown mode: $mode" >&2; exit 2 ;;
  esac
done

# --- peak RSS under load -------------------------------------------------------------------------------------------
rss_report=""
if [[ "$rss" == true ]]; then
  start_postgres
  prepare_image
  dir="$work/runs/rss"
  mkdir -p "$dir"
  if [[ -n "$rss_java_opts" ]]; then
    read -r -a opts <<<"$rss_java_opts"
    launch=(env "$image_java" "${opts[@]}" -cp "@$work/image/app/jib-classpath-file.local" com.acme.iot.IotApiApplication)
  else
    mapfile -t launch < <(image_command "$work/tmp")
  fi
  port="$(free_port)"
  url="http://127.0.0.1:$port"
  log "RSS under load: $(printf '%s ' "${launch[@]}")"
  SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:$pg_port/iot" SPRING_DATASOURCE_USERNAME=postgres \
    SPRING_DATASOURCE_PASSWORD="" "${launch[@]}" --server.port="$port" \
    --iot.security.admin-token-file="$dir/admin-token" --logging.level.root=WARN >"$dir/service.log" 2>&1 &
  app_pid=$!
  for _ in $(seq 1 "$timeout_s"); do
    curl -fsS -o /dev/null "$url/actuator/health/readiness" 2>/dev/null && break
    kill -0 "$app_pid" 2>/dev/null || { tail -n 40 "$dir/service.log" >&2; exit 1; }
    sleep 1
  done
  rss_ready="$(awk '/VmRSS/ { print int($2 / 1024) }' "/proc/$app_pid/status")"
  (while kill -0 "$app_pid" 2>/dev/null; do
     awk '/VmRSS/ { print $2 }' "/proc/$app_pid/status" 2>/dev/null || true
     sleep 0.2
   done >"$dir/rss") &
  sampler_pid=$!
  load() { "$image_java" "$bench_dir/ReadingsLoad.java" "$@"; }
  log "RSS under load: 1,000 sensors and three alert rules matching all of them"
  token="$(load setup "$url" "$admin_token" 1000 "$dir")"
  now="$(date -u +%s)"
  step=$(( 31 * 86400 * 1000 / rss_readings )); (( step >= 1 )) || step=1
  log "RSS under load: $rss_readings readings in batches"
  load load "$url" "$token" "$dir/sensors.txt" "$rss_readings" 1000 4 $(( now - 40 * 86400 )) "$step" 100 >&2
  log "RSS under load: single POSTs with wrk for $rss_wrk_duration"
  BENCH_DEVICES_FILE="$dir/devices.txt" BENCH_SINGLE_START=$(( $(date -u +%s) - 600 )) \
    wrk -t2 -c64 -d"$rss_wrk_duration" --latency -s "$bench_dir/single-post.lua" "$url" | grep -E 'Requests/sec|99%|Non-2xx' >&2 || true
  hwm="$(awk '/VmHWM/ { print int($2 / 1024) }' "/proc/$app_pid/status")"
  peak_sampled="$(sort -n "$dir/rss" | tail -n 1 | awk '{ print int($1 / 1024) }')"
  kill "$sampler_pid" 2>/dev/null || true
  sampler_pid=""
  stop_pid "$app_pid"
  app_pid=""
  rss_report="peak RSS under load : ${hwm} MB (VmHWM; highest 200 ms sample ${peak_sampled} MB; ${rss_ready} MB when ready)"
fi

if (( ${#report[@]} == 0 )); then
  echo "${rss_report}"
  exit 0
fi
cat <<REPORT

== start to ready, service vs spring-petclinic ($(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), load average before: $load_before) ==
$runs alternating runs per mode, medians; jar modes on $("$java_bin" -version 2>&1 | head -n 1), image modes on $("$image_java" -version 2>&1 | head -n 1)
mode             service  petclinic   ratio  median of      CPU s to ready     RSS at ready    each run's ratio
                   median     median          run ratios   service / petclinic  service / petclinic
$(printf '%s\n' "${report[@]}")
${rss_report}
REPORT
