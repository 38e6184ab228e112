#!/usr/bin/env bash
# Trains every shipped preset headless from a fresh seed and prints README's table:
# task | preset | steps | seconds | metric. Usage: scripts/preset-table.sh [SEED] [PRESET ...]
set -euo pipefail
cd "$(dirname "$0")/.."
seed=${1:-1}; shift || true
[ -f app/target/attnlab.jar ] || mvn -q -DskipTests package
out=$(mktemp -d)
jar="$out/attnlab.jar"            # a private copy: a rebuild during the run cannot disturb it
cp app/target/attnlab.jar "$jar"
presets=("$@")
if [ ${#presets[@]} -eq 0 ]; then
  presets=(lego6 parity16 flipflop16 sort induction)
fi
echo "| task | preset | steps | seconds | metric |"
echo "|---|---|---|---|---|"
for p in "${presets[@]}"; do
  log="$out/$p.log"
  java -jar "$jar" train --preset "$p" --seed "$seed" --quiet --stop-at-target --out "$out/$p.safetensors" >"$log" 2>&1 || {
    echo "| ? | $p | failed: $(tail -1 "$log") | | |"; continue; }
  # "done after N steps in S s (R steps/s): METRIC = V, held-out loss L"
  line=$(grep -E '^(done|stopped|reached target) after' "$log")
  target=$(grep -E '^target:' "$log" | sed -E 's/^target: //')
  steps=$(sed -E 's/.* after ([0-9]+) steps.*/\1/' <<<"$line")
  secs=$(sed -E 's/.* in ([0-9.]+) s .*/\1/' <<<"$line")
  metric="$target"
  task=$(java -jar "$jar" eval --model "$out/$p.safetensors" --json | sed -E 's/.*"task":"([^"]+)".*/\1/')
  extra=""
  if [ "$p" = induction ]; then
    extra=", max layer-1 induction score $(java -jar "$jar" eval --model "$out/$p.safetensors" --json \
      | sed -E 's/.*"induction_score_max.L1":([0-9.]+).*/\1/')"
  fi
  echo "| $task | $p | $steps | $secs | $metric$extra |"
done
rm -rf "$out"
