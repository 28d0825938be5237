#!/usr/bin/env bash
# Prints the next SemVer from the Conventional Commits since the last vX.Y.Z tag (nothing when no release is due).
#   BREAKING CHANGE footer or "type!:" -> major; feat -> minor; fix, perf, revert -> patch; anything else -> none.
# Usage: .github/scripts/next-version.sh [<git-ref>]   (default HEAD)
set -euo pipefail

if [[ "${1:-}" == -h || "${1:-}" == --help ]]; then
  sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//'
  exit 0
fi
ref=${1:-HEAD}
last_tag=$(git describe --tags --abbrev=0 --match 'v[0-9]*.[0-9]*.[0-9]*' "$ref" 2>/dev/null || true)
range=${last_tag:+$last_tag..}$ref
IFS=. read -r major minor patch <<<"${last_tag:-v0.0.0}"
major=${major#v}

bump=none
while IFS= read -r -d $'\x1e' message; do
  subject=$(head -n 1 <<<"${message#$'\n'}")
  if [[ "$subject" =~ ^[a-z]+(\([^\)]*\))?!: ]] || grep -qE '^BREAKING[ -]CHANGE:' <<<"$message"; then
    bump="major"
    break
  elif [[ "$subject" =~ ^feat(\([^\)]*\))?: ]]; then
    bump="minor"
  elif [[ "$subject" =~ ^(fix|perf|revert)(\([^\)]*\))?: && "$bump" == none ]]; then
    bump="patch"
  fi
done < <(git log --format='%B%x1e' "$range")

case "$bump" in
  major) echo "$((major + 1)).0.0" ;;
  minor) echo "$major.$((minor + 1)).0" ;;
  patch) echo "$major.$minor.$((patch + 1))" ;;
  none) ;;
esac
