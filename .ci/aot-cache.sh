#!/usr/bin/env bash
# Trains the JDK AOT cache (JEP 483/514) of the application image with the JVM of its base image.
#
# An AOT cache is only used by the JVM build that wrote it, with the same class path, jar sizes and modification
# times; otherwise the JVM ignores it and starts without it. Jib cannot run a command while it builds, so the image
# is built in two steps (see README, "The image"):
#   1. ./mvnw package                     target/jib-image.tar: the application layers (any base will do)
#   2. .ci/aot-cache.sh --base-image REF  runs those layers on REF's java (docker), writes and validates
#                                         target/aot-cache/iot-api.aot
#   3. ./mvnw jib:build -Djib.base.image=REF -Daot.cache.dir=target/aot-cache
#                                         adds /app/aot/iot-api.aot and -XX:AOTCache to the same layers
# Jib writes every file with the same fixed modification time, so the jars of step 3 match those of step 1.
# --java trains on this machine's JVM instead (src/test/bench/startup.sh uses it): that cache only fits the
# unpacked layers it was trained on, never the image.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: .ci/aot-cache.sh (--base-image REF | --java PATH --root DIR [--unpack-only]) [--tarball FILE] [--output DIR]

  --base-image REF  train in a container of REF (docker), the image's base: the cache fits the image
  --java PATH       train with this java on the unpacked layers in --root instead (benchmarks only)
  --root DIR        where the application layers are unpacked (default: a temporary directory)
  --tarball FILE    Jib's image tarball (default target/jib-image.tar)
  --output DIR      where iot-api.aot is written (default target/aot-cache)
  --unpack-only     with --java: only unpack the layers and write the launch arguments (no cache)

With --java, DIR/launch.local receives the image's JVM flags, class path and main class rewritten for --root,
one argument per line, without -XX:AOTCache, and DIR/environment.local its environment variables.

Training: the image's own entrypoint and JVM flags, an embedded PostgreSQL, no network, and
-Dspring.context.exit=onRefresh (every bean created, Flyway migrated, then a clean exit). The cache is then
checked with -XX:AOTMode=on, which fails when the JVM would not use it.
USAGE
}

base_image=""
java_bin=""
root=""
tarball=target/jib-image.tar
output=target/aot-cache
unpack_only=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --base-image) base_image="$2"; shift 2 ;;
    --java) java_bin="$2"; shift 2 ;;
    --root) root="$2"; shift 2 ;;
    --tarball) tarball="$2"; shift 2 ;;
    --output) output="$2"; shift 2 ;;
    --unpack-only) unpack_only=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "Unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done
if [[ -n "$base_image" && -n "$java_bin" ]] || [[ -z "$base_image" && -z "$java_bin" ]]; then
  echo "Give exactly one of --base-image and --java" >&2
  exit 2
fi
if [[ -n "$java_bin" && -z "$root" ]]; then
  echo "--java needs --root" >&2
  exit 2
fi
[[ -f "$tarball" ]] || { echo "No $tarball: run ./mvnw package first" >&2; exit 1; }

work="$(mktemp -d /tmp/aot-cache.XXXXXX)"
trap 'rm -rf "$work"' EXIT
[[ -n "$root" ]] || root="$work/root"
mkdir -p "$root" "$output"
output="$(cd "$output" && pwd)"
root="$(cd "$root" && pwd)"

# The application layers (files under app/, with Jib's fixed modification times) and the entrypoint, one
# argument per line.
python3 - "$tarball" "$root" "$work/entrypoint" "$work/environment" <<'PY'
import io, json, sys, tarfile
tarball, root, entrypoint, environment = sys.argv[1:]
with tarfile.open(tarball) as image:
    manifest = json.load(image.extractfile("manifest.json"))[0]
    config = json.load(image.extractfile(manifest["Config"]))
    for layer in manifest["Layers"]:
        with tarfile.open(fileobj=io.BytesIO(image.extractfile(layer).read()), mode="r:gz") as files:
            members = [m for m in files.getmembers() if m.name.lstrip("./").startswith("app/")]
            # keeps Jib's modification times: the cache records them
            options = {"filter": "tar"} if hasattr(tarfile, "tar_filter") else {}
            files.extractall(root, members=members, **options)
with open(entrypoint, "w") as out:
    out.write("\n".join(config["config"]["Entrypoint"]) + "\n")
with open(environment, "w") as out:
    out.write("".join(variable + "\n" for variable in config["config"].get("Env", [])))
PY
mapfile -t entrypoint <"$work/entrypoint"
mapfile -t environment <"$work/environment"
docker_environment=()
for variable in "${environment[@]}"; do docker_environment+=(-e "$variable"); done
main="${entrypoint[-1]}"
flags=()
for arg in "${entrypoint[@]:1:${#entrypoint[@]}-4}"; do
  # the cache being trained replaces any cache the tarball already names
  [[ "$arg" == -XX:AOTCache=* ]] || flags+=("$arg")
done
[[ "${entrypoint[-3]}" == "-cp" && "${entrypoint[-2]}" == @* ]] \
  || { echo "Unexpected entrypoint: ${entrypoint[*]}" >&2; exit 1; }

training_args=(-Dspring.context.exit=onRefresh -Diot.database.embedded.ephemeral=true
  -Diot.security.admin-token-file=/tmp/aot-training-admin-token -Dlogging.level.root=WARN)
rm -f "$output/iot-api.aot"

if [[ -n "$base_image" ]]; then
  command -v docker >/dev/null || { echo "docker is needed with --base-image" >&2; exit 1; }
  chmod 0777 "$output"
  echo "Training the AOT cache on $base_image" >&2
  docker run --rm --network none --user 65532:65532 "${docker_environment[@]}" \
    -e IOT_ADMIN_TOKEN="aot-training-$RANDOM$RANDOM" \
    -v "$root/app:/app:ro" -v "$output:/aot" --entrypoint java "$base_image" \
    "${flags[@]}" "${training_args[@]}" -XX:AOTCacheOutput=/aot/iot-api.aot -cp "${entrypoint[-2]}" "$main"
  echo "Checking that $base_image's java uses it" >&2
  docker run --rm --network none --user 65532:65532 "${docker_environment[@]}" \
    -v "$root/app:/app:ro" -v "$output:/aot:ro" \
    --entrypoint java "$base_image" "${flags[@]}" -XX:AOTCache=/aot/iot-api.aot -XX:AOTMode=on \
    -cp "${entrypoint[-2]}" -version
else
  # The same layers under $root instead of /app: the class path file is rewritten, the jars stay as unpacked.
  sed "s#/app/#$root/app/#g" "$root/app/jib-classpath-file" >"$root/app/jib-classpath-file.local"
  for i in "${!flags[@]}"; do flags[i]="${flags[i]//=\/app\//=$root/app/}"; done
  printf '%s\n' "${flags[@]}" -cp "@$root/app/jib-classpath-file.local" "$main" >"$output/launch.local"
  printf '%s\n' "${environment[@]}" >"$output/environment.local"
  [[ "$unpack_only" != true ]] || exit 0
  echo "Training the AOT cache with $java_bin on $root" >&2
  (cd "$work" && env "${environment[@]}" IOT_ADMIN_TOKEN="aot-training-$RANDOM$RANDOM" "$java_bin" "${flags[@]}" "${training_args[@]}" \
    -XX:AOTCacheOutput="$output/iot-api.aot" -cp "@$root/app/jib-classpath-file.local" "$main" >"$work/training.log" 2>&1) \
    || { tail -n 50 "$work/training.log" >&2; exit 1; }
  "$java_bin" "${flags[@]}" -XX:AOTCache="$output/iot-api.aot" -XX:AOTMode=on \
    -cp "@$root/app/jib-classpath-file.local" -version
fi
ls -l "$output/iot-api.aot" >&2
