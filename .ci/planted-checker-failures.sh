#!/usr/bin/env bash
# Proves the checkers cannot be switched off unnoticed: builds a copy of the project with planted
# defects in main code and expects `mvn compile` to FAIL with the checker's own error for each.
# A clean copy must compile (so the failures are the planted ones, not a broken build).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mvn_flags=(-B -ntp -q)
[ "${MVN_OFFLINE:-1}" = 1 ] && mvn_flags+=(-o)

plant() {  # $1 = planted file under src/test/planted, $2 = error key the checker must report
  local dir="$work/$(basename "$1" .java)"
  mkdir -p "$dir"
  (cd "$here" && tar --exclude=./target --exclude=./.git -cf - .) | (cd "$dir" && tar -xf -)
  mkdir -p "$dir/src/main/java/ghostunits/planted"
  cp "$here/src/test/planted/$1" "$dir/src/main/java/ghostunits/planted/"
  local log="$dir/compile.log"
  if (cd "$dir" && mvn "${mvn_flags[@]}" compile >"$log" 2>&1); then
    echo "FAIL: planted $1 compiled: the checker that should reject it is not running"; exit 1
  fi
  if ! grep -q -- "$1.*$2" "$log"; then
    echo "FAIL: planted $1 broke the build, but not with '$2':"; cat "$log"; exit 1
  fi
  echo "ok: planted $1 fails the build with [$2]"
}

plant PlantedNullDereference.java '\[dereference.of.nullable\]'
plant PlantedTimePlusDimensionless.java '\[assignment\].*\|found *: @MixedUnits'
echo "planted checker failures: 2 passed, 0 failed"
