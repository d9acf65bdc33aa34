#!/usr/bin/env bash
# Runs every jqwik property with N times its tries, on a clean clone of this checkout's HEAD, to
# find the rare inputs a CI run meets once in a while (a property that fails 1 try in 1,000 fails
# about one CI run in 25). Usage: reports/tools/stress_properties.sh [N] (default 20); needs
# ../shared beside the checkout, as the tests do. Prints each failing property with jqwik's seed.
set -euo pipefail
n="${1:-20}"
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
git clone -q "$repo" "$work/main"
ln -s "$(cd "$repo/../shared" && pwd)" "$work/shared"
cd "$work/main"
# Explicit tries are multiplied; properties without them get N times jqwik's default of 100.
grep -rl "@Property" src/test | xargs perl -pi -e 's/\@Property\(tries = (\d+)/"\@Property(tries = ".($1*'"$n"')/e'
sed -i "s/^jqwik.tries.default = .*/jqwik.tries.default = $((100 * n))/" src/test/resources/junit-platform.properties
echo "stress run x$n of $(git rev-parse --short HEAD) in $work/main (log: $work/stress.log)"
if mvn -B -ntp test > "$work/stress.log" 2>&1; then
  grep -E "Tests run: [0-9]+, Failures: [0-9]+, Errors: [0-9]+, Skipped: [0-9]+$" "$work/stress.log" | tail -1
  echo "stress run x$n: no failure"
else
  grep -E "<<< FAILURE|^seed = |Tests run: [0-9]+, Failures: [0-9]+, Errors: [0-9]+, Skipped: [0-9]+$" "$work/stress.log" || true
  echo "stress run x$n: failures (log: $work/stress.log)"
  exit 1
fi
