#!/usr/bin/env bash
# Turns CHANGELOG.md's "## [Unreleased]" section into "## [X.Y.Z] - <date>" under a fresh, empty Unreleased
# section, and prints the released section (the GitHub Release notes) on stdout.
# Usage: .github/scripts/changelog-release.sh <X.Y.Z> [<CHANGELOG.md>] [<date>]
set -euo pipefail

if [[ "${1:-}" == -h || "${1:-}" == --help || $# -lt 1 ]]; then
  sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//'
  [[ $# -ge 1 ]] && exit 0 || exit 2
fi
version=$1
changelog=${2:-CHANGELOG.md}
date=${3:-$(date -u +%F)}
grep -q '^## \[Unreleased\]' "$changelog" || { echo "no '## [Unreleased]' section in $changelog" >&2; exit 1; }
if grep -q "^## \[$version\]" "$changelog"; then
  echo "$changelog already has a section for $version" >&2
  exit 1
fi

awk -v version="$version" -v date="$date" '
  /^## \[Unreleased\]/ { print; print ""; print "## [" version "] - " date; next }
  { print }
' "$changelog" >"$changelog.tmp"
mv "$changelog.tmp" "$changelog"

# The released section: from its heading to the next "## [" heading.
awk -v version="$version" '
  index($0, "## [" version "]") == 1 { inside = 1; next }
  inside && /^## \[/ { exit }
  inside { print }
' "$changelog"
