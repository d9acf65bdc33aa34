#!/usr/bin/env bash
# The causal test of reports/model-b-bias-trained.md, part 4: does MB-TF-100's hidden step (Theorem
# 2(c)'s bias) make its accuracy fall after epoch 37? MB-TF-100 is branched at its epoch-37
# checkpoint and trained on to epoch 50 with `train --hidden-step BACKPROP`: eq. 6 on the output
# layer as before, backprop's step on the hidden layer, everything else the same (weights, Omega,
# data order, rates). The unbranched run is reports/runs/MB-TF-100-seed1 (its epochs 38-50).
# Usage, from the repository root after `mvn -B -ntp package -DskipTests`:
#   reports/tools/mb_tf_100_hidden_backprop.sh [scratch dir]
# The scratch dir may hold the epoch37/ folder that mb_tf_100_bias_trajectory.sh leaves (checkpoint,
# config.json and metrics.csv); otherwise MB-TF-100 is retrained to epoch 37 first (about 13
# minutes of one core, bitwise the committed run's first 37 epochs). The branch takes about 5.
set -euo pipefail
jar="$(pwd)/target/ghost-units.jar"
work="${1:-$(mktemp -d)}"
mkdir -p "$work"
if [ ! -f "$work/epoch37/metrics.csv" ]; then
  java -jar "$jar" train --config configs/table1/MB-TF-100.json --seed 1 --epochs 37 --out "$work/run" --resume \
    --no-progress
  mkdir -p "$work/epoch37"
  cp "$work/run/checkpoint.json.gz" "$work/run/config.json" "$work/run/metrics.csv" "$work/epoch37/"
fi
java -jar "$jar" train --config configs/table1/MB-TF-100.json --seed 1 --epochs 50 --hidden-step BACKPROP \
  --from "$work/epoch37/checkpoint.json.gz" --out "$work/hidden-backprop-from37" --overwrite --no-progress
paste -d, <(cut -d, -f1,2,4 reports/runs/MB-TF-100-seed1/metrics.csv) \
  <(cut -d, -f2,4 "$work/hidden-backprop-from37/metrics.csv") | sed -n '1p;38,51p' \
  | sed '1s/.*/epoch,eq6 train %,eq6 test %,hidden backprop train %,hidden backprop test %/'
echo "branched run: $work/hidden-backprop-from37"
