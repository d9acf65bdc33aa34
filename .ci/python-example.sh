#!/usr/bin/env bash
# The Python example (examples/python) passes `oracle verify`, and each of three bugs planted in a
# copy of it (wrong sign of the output nudging, missing rho' in backprop, untransposed feedback)
# makes verify exit 1 with a FAIL line naming the field. Needs target/ghost-units.jar (built by CI
# before this script). Skips, with a message and exit 0, when python3 or numpy is absent.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v python3 >/dev/null 2>&1; then
  echo "python example: SKIPPED (python3 not found)"
  exit 0
fi
if ! python3 -c 'import numpy' >/dev/null 2>&1; then
  echo "python example: SKIPPED (python3 has no numpy)"
  exit 0
fi
jar=$here/target/ghost-units.jar
if [ ! -f "$jar" ]; then
  echo "FAIL: $jar is missing (build it first: mvn -B package -DskipTests)"
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run=$here/examples/python/run.sh
example=$here/examples/python/candidate.py

if ! "$run" >"$work/clean.log" 2>&1; then
  echo "FAIL: the Python example does not pass verify:"
  cat "$work/clean.log"
  exit 1
fi
grep -q '^PASS' "$work/clean.log" || { echo "FAIL: no PASS line:"; cat "$work/clean.log"; exit 1; }
echo "ok: the Python example passes verify ($(grep -c ' PASS' "$work/clean.log") field layers)"

plant() {  # $1 name, $2 marker in candidate.py, $3 sed substitution on that line, $4 field that must FAIL
  local copy="$work/$1.py" log="$work/$1.log" status
  cp "$example" "$copy"
  sed -i "/# PLANT:$2/ $3" "$copy"
  if cmp -s "$example" "$copy"; then
    echo "FAIL: planting '$1' did not change the script (marker PLANT:$2 or pattern not found)"
    exit 1
  fi
  set +e
  "$run" "" "" "$copy" >"$log" 2>&1
  status=$?
  set -e
  if [ "$status" -ne 1 ]; then
    echo "FAIL: planted '$1': verify exited $status, expected 1 (FAIL):"
    cat "$log"
    exit 1
  fi
  if ! grep -Eq "^${4//./\\.} +[0-9]+ .* FAIL" "$log"; then
    echo "FAIL: planted '$1': verify failed, but no FAIL line names $4:"
    cat "$log"
    exit 1
  fi
  echo "ok: planted '$1' -> verify FAILs, naming $4 ($(grep -c ' FAIL' "$log") field layers fail)"
}

plant wrong-sign sign 's/beta \* (self\.y - rho(s\[-1\]))/beta * (rho(s[-1]) - self.y)/' nudged.e
plant missing-rho-prime rho-prime 's/(rho_prime(s\[k + 1\]) \* delta\[0\])/delta[0]/' backprop.delta
plant untransposed-feedback transpose 's/W\[k + 1\]\.T for k/W[k + 1] for k/' nudged.e
echo "python example: 4 passed, 0 failed"
