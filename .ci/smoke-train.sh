#!/usr/bin/env bash
# CI smoke training (not the reproduction): 1,000 training examples, 1 epoch, fast path, seed 1,
# test accuracy on the first 1,000 test images against a floor that a broken learning rule cannot
# reach. Observed (2026-11-22, jar of branch train, seed 1):
#   MB-TF-500: 77.60% test   | wrong sign (eta_W negated): 4.20%  | no learning (eta_W = 0): 9.40%
#   MA-TF-500: 32.10% test   | wrong sign (eta_W negated): 11.40% | no learning (eta_W = 0): 9.40%
# (MA sees only 10 mini-batches of 100 here, hence its lower number.) Floors: MB 50%, MA 20%.
# Training takes 2.4 s (MB) and 0.7 s (MA) on a quiet machine, plus JVM start and MNIST loading (~5 s each).
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=target/ghost-units.jar
if [ ! -f "$JAR" ]; then
  mvn -B -ntp -q -DskipTests package
fi
MNIST="${GHOST_UNITS_MNIST:-../shared/data/mnist}"
run() {
  local cfg="$1" floor="$2"
  java -jar "$JAR" train --config "configs/table1/$cfg.json" --mnist "$MNIST" --seed 1 --epochs 1 \
    --train-limit 1000 --test-limit 1000 --out "target/smoke-$cfg" --overwrite --no-progress --min-test-accuracy "$floor"
}
run MB-TF-500 50
run MA-TF-500 20
echo "smoke training: OK"
