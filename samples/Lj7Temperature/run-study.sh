#!/usr/bin/env bash
# The LJ7 study that chose the library's defaults: each configuration (temperature law, embedding, weighting) with
# each seed, at the paper's scale, as its own process, then one table of means and spreads over seeds.
#
#   bash samples/Lj7Temperature/run-study.sh            # all configurations, seeds 42 7 11, two processes at a time
#   SEEDS="42" JOBS=1 OUT=out/one bash samples/Lj7Temperature/run-study.sh
#   CONFIGURATIONS="name|--law sqrt;other|--law linear" ARGUMENTS="--walkers 25" bash samples/Lj7Temperature/run-study.sh
#
# Each process uses one libtorch thread, so two processes use both cores. A run takes 15-60 minutes depending on
# the machine's load. Finished runs (with a summary.json) are skipped, so the script can be restarted.
set -euo pipefail
cd "$(dirname "$0")/../.."

out="${OUT:-out/lj7-study}"
jobs="${JOBS:-2}"
seeds="${SEEDS:-42 7 11}"
configurations=(
  "reference|--law linear --embedding reference --weighting unweighted"
  "sqrt-law|--law sqrt --embedding reference --weighting unweighted"
  "smooth-embedding|--law linear --embedding smooth --weighting unweighted"
  "sqrt-smooth|--law sqrt --embedding smooth --weighting unweighted"
  "sqrt-smooth-likelihood|--law sqrt --embedding smooth --weighting likelihood"
)
# Options added to every run, for example a smaller scale: ARGUMENTS="--walkers 25 --frames 1000".
common="${ARGUMENTS:-}"
if [[ -n "${CONFIGURATIONS:-}" ]]; then
  IFS=';' read -r -a configurations <<< "$CONFIGURATIONS"
fi

dotnet build samples/Lj7Temperature -c Release --nologo -v quiet
# Runs use a private copy of the build, so that rebuilding the repository during a long study cannot replace the
# assemblies under a running process.
bin="$(mktemp -d)"
trap 'rm -rf "$bin"' EXIT
cp -r samples/Lj7Temperature/bin/Release/net10.0/. "$bin"
mkdir -p "$out"
for configuration in "${configurations[@]}"; do
  name="${configuration%%|*}"
  arguments="${configuration#*|}"
  for seed in $seeds; do
    echo "$name $seed $arguments $common"
  done
done | xargs -P "$jobs" -L 1 bash -c '
  name="$0"; seed="$1"; shift 1
  run="'"$out"'/$name-$seed"
  if [[ -f "$run/summary.json" ]]; then echo "skip $run (done)"; exit 0; fi
  mkdir -p "$run"
  echo "start $run"
  OMP_WAIT_POLICY=PASSIVE dotnet "'"$bin"'/Lj7Temperature.dll" "$@" --seed "$seed" --threads 1 --output "$run" > "$run/log.txt" 2>&1 \
    && echo "done $run" || echo "FAILED $run (see $run/log.txt)"
'
dotnet "$bin/Lj7Temperature.dll" aggregate "$out"
