#!/usr/bin/env bash
# Build once, promote the digest: records that an image passed staging and resolves a release to that very digest.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

usage() {
  cat <<'USAGE'
Usage: deploy/promote.sh mark-staged --image <repo@sha256:...>
       deploy/promote.sh verify-staged --image <repo@sha256:...> [--tree <git-tree>]
       deploy/promote.sh release --image <repo@sha256:...> --version <X.Y.Z> --tree <git-tree>
       deploy/promote.sh resolve --repository <repo> --version <X.Y.Z>

The images CI builds, tests and scans are pushed once, by digest; nothing is ever rebuilt for production.
  mark-staged    after staging's smoke test passed: tags the digest staging-passed-<hex> in the registry
  verify-staged  fails unless staging-passed-<hex> points at this digest; with --tree, also unless the image was
                 built from a commit with that git tree (its org.opencontainers.image.revision label)
  release        verify-staged with --tree (the tree of main being released), then tags the digest <X.Y.Z>
  resolve        prints <repo>@sha256:... of release X.Y.Z after verify-staged: what production deploys
Needs crane (logged in to the registry), jq, and git for --tree.

Options:
  --image <ref>        image by digest
  --repository <repo>  e.g. ghcr.io/acme/iot-api
  --version <X.Y.Z>    release version
  --tree <sha>         git tree the image must have been built from (git rev-parse HEAD^{tree})
  -h, --help           this help
USAGE
}

command=${1:-}
[[ -n "$command" ]] && shift
image=""
repository=""
version=""
tree=""
while (($#)); do
  case "$1" in
    --image) image=${2:?--image needs a value}; shift 2 ;;
    --repository) repository=${2:?--repository needs a value}; shift 2 ;;
    --version) version=${2:?--version needs a value}; shift 2 ;;
    --tree) tree=${2:?--tree needs a value}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
case "$command" in
  -h | --help) usage; exit 0 ;;
  mark-staged | verify-staged | release | resolve) ;;
  *) usage >&2; die "unknown command: ${command:-none}" ;;
esac
require_cmd crane jq

split_image() {
  [[ "$image" =~ ^([^@]+)@(sha256:([0-9a-f]{64}))$ ]] || die "--image must be <repository>@sha256:<64 hex>, not '$image'"
  repository=${BASH_REMATCH[1]}
  digest=${BASH_REMATCH[2]}
  hex=${BASH_REMATCH[3]}
  # a tag before the digest (repo:1.4.0@sha256:...) is dropped; a registry port (host:5000/repo) is kept
  if [[ "${repository##*/}" == *:* ]]; then
    repository=${repository%:*}
  fi
}

verify_staged() {
  local staged revision built_tree
  staged=$(crane digest "$repository:staging-passed-$hex" 2>/dev/null || true)
  [[ "$staged" == "$digest" ]] ||
    die "$repository@$digest never passed staging's smoke test (no tag staging-passed-$hex): deploy it to staging first"
  log "$repository@$digest passed staging"
  if [[ -n "$tree" ]]; then
    require_cmd git
    revision=$(crane config "$repository@$digest" | jq -r '.config.Labels["org.opencontainers.image.revision"] // empty')
    [[ -n "$revision" ]] || die "$repository@$digest has no org.opencontainers.image.revision label"
    built_tree=$(git rev-parse --verify --quiet "$revision^{tree}" || true)
    [[ "$built_tree" == "$tree" ]] || die "$repository@$digest was built from $revision (tree ${built_tree:-unknown}), not from tree $tree: merge the release branch as it was staged, or stage this commit"
    log "$repository@$digest was built from $revision, tree $tree"
  fi
}

case "$command" in
  mark-staged)
    split_image
    crane tag "$repository@$digest" "staging-passed-$hex"
    log "marked $repository@$digest as passed staging"
    ;;
  verify-staged)
    split_image
    verify_staged
    ;;
  release)
    split_image
    [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "--version must be X.Y.Z, not '$version'"
    [[ -n "$tree" ]] || die "--tree is required: the release must be the content of main"
    verify_staged
    crane tag "$repository@$digest" "$version"
    log "release $version is $repository@$digest"
    printf '%s@%s\n' "$repository" "$digest"
    ;;
  resolve)
    [[ -n "$repository" ]] || die "--repository is required"
    [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "--version must be X.Y.Z, not '$version'"
    digest=$(crane digest "$repository:$version" 2>/dev/null || true)
    [[ "$digest" =~ ^sha256:([0-9a-f]{64})$ ]] || die "no image $repository:$version in the registry"
    hex=${BASH_REMATCH[1]}
    verify_staged
    printf '%s@%s\n' "$repository" "$digest"
    ;;
esac
