#!/usr/bin/env bash
# Regenerates reports/model-b-bias-trained.md, part 2: MB-TF-100 retrained from scratch (seed 1, the
# FAST path, as its Table 1 row) into a scratch folder, its checkpoint kept after each epoch of
# EPOCHS, then model-b-bias at all of them. About 20 minutes of one core for the training and 3 for
# the measurements. Training is bitwise reproducible: the script stops if the epoch-50 weights differ
# from the committed reports/runs/MB-TF-100-seed1/checkpoint.json.gz. Usage, from the repository root
# after `mvn -B -ntp package -DskipTests`: reports/tools/mb_tf_100_bias_trajectory.sh [scratch dir].
set -euo pipefail
jar="$(pwd)/target/ghost-units.jar"
work="${1:-$(mktemp -d)}"
mkdir -p "$work"
epochs="1 5 10 20 30 37 40 45 50"
args=()
for e in $epochs; do
  java -jar "$jar" train --config configs/table1/MB-TF-100.json --seed 1 --epochs "$e" --out "$work/run" --resume \
    --no-progress
  mkdir -p "$work/epoch$e"
  cp "$work/run/checkpoint.json.gz" "$work/run/config.json" "$work/run/metrics.csv" "$work/epoch$e/"
  args+=(--checkpoint "$work/epoch$e/checkpoint.json.gz")
done
if ! cmp -s <(gzip -dc "$work/epoch50/checkpoint.json.gz") <(gzip -dc reports/runs/MB-TF-100-seed1/checkpoint.json.gz); then
  echo "the retrained epoch-50 checkpoint differs from reports/runs/MB-TF-100-seed1/checkpoint.json.gz" >&2
  exit 1
fi
java -jar "$jar" model-b-bias --examples 2000 "${args[@]}" --out "$work/trajectory.md"
echo "trajectory table: $work/trajectory.md"
