#!/usr/bin/env bash
# The Python example end to end: candidate.py (numpy, float64) computes the values of a golden
# network, then `oracle verify` checks them against the certified reference.
# Builds nothing: build the jar first (mvn -B package -DskipTests -> target/ghost-units.jar).
#
# Usage: examples/python/run.sh [network.json [beta [candidate.py]]]
#   defaults: vectors/ma-tf-4-3-3.network.json, beta 0.001, examples/python/candidate.py
# Exit status: that of verify (0 PASS, 1 FAIL, 2 bad input).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
network=${1:-$root/vectors/ma-tf-4-3-3.network.json}
beta=${2:-0.001}
script=${3:-$here/candidate.py}
jar=$root/target/ghost-units.jar
if [ ! -f "$jar" ]; then
  echo "run.sh: $jar not found; build it first: mvn -B package -DskipTests" >&2
  exit 2
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
python3 "$script" --network "$network" --beta "$beta" --out "$out/candidate.json"
java -jar "$jar" oracle verify --network "$network" --candidate "$out/candidate.json"
