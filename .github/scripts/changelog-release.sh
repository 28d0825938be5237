#!/usr/bin/env bash
# Releases CHANGELOG.md: a "## [X.Y.Z] - <date>" section generated from the Conventional Commits since the last
# vX.Y.Z tag by git-cliff (.github/cliff.toml), followed by the hand-written notes of "## [Unreleased]" (kept
# under "### Notes"), placed under a fresh, empty Unreleased section; prints the released section (the GitHub
# Release notes) on stdout. Run it in the repository whose commits are released.
# Usage: .github/scripts/changelog-release.sh <X.Y.Z> [<CHANGELOG.md>] [<date>]
set -euo pipefail

if [[ "${1:-}" == -h || "${1:-}" == --help || $# -lt 1 ]]; then
  sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'
  [[ $# -ge 1 ]] && exit 0 || exit 2
fi
version=$1
changelog=${2:-CHANGELOG.md}
date=${3:-$(date -u +%F)}
cliff=${GIT_CLIFF:-git-cliff}
config="$(cd "$(dirname "$0")/.." && pwd)/cliff.toml"
command -v "$cliff" >/dev/null 2>&1 ||
  { echo "git-cliff is required: npm ci --prefix src/test/tools, then PATH=src/test/tools/node_modules/.bin:\$PATH" >&2; exit 1; }
grep -q '^## \[Unreleased\]' "$changelog" || { echo "no '## [Unreleased]' section in $changelog" >&2; exit 1; }
if grep -q "^## \[$version\]" "$changelog"; then
  echo "$changelog already has a section for $version" >&2
  exit 1
fi

generated=$(mktemp)
notes=$(mktemp)
trap 'rm -f "$generated" "$notes" "$changelog.tmp"' EXIT
"$cliff" --config "$config" --unreleased --tag "v$version" --strip all >"$generated"
# The hand-written notes: the Unreleased section's body, its headings one level down.
awk '/^## \[Unreleased\]/ { inside = 1; next } inside && /^## \[/ { exit } inside { print }' "$changelog" |
  sed -e 's/^### /#### /' | sed -e '/./,$!d' >"$notes"

awk -v version="$version" -v date="$date" -v generated="$generated" -v notes="$notes" '
  function emit(file,   line) { while ((getline line < file) > 0) print line; close(file) }
  /^## \[Unreleased\]/ {
    print; print ""; print "## [" version "] - " date; print ""
    emit(generated)
    if ((getline first < notes) > 0) { close(notes); print ""; print "### Notes"; print ""; emit(notes) }
    skipping = 1; next
  }
  skipping && /^## \[/ { skipping = 0; print "" }
  !skipping { print }
' "$changelog" | cat -s >"$changelog.tmp"
mv "$changelog.tmp" "$changelog"

awk -v version="$version" '
  index($0, "## [" version "]") == 1 { inside = 1; next }
  inside && /^## \[/ { exit }
  inside { print }
' "$changelog" | sed -e '/./,$!d'
