#!/usr/bin/env bash
# Times the library and the PyTorch formulation of the same computations in alternation, so that both sides of each
# ratio see the same machine state. Usage: tests/DSpib.Benchmarks/side-by-side.sh [rounds] [output-folder] [precisions]
# precisions: the library's products, comma-separated (exact, fast, bf16; default exact), each timed in turn per round.
# Needs Debian's PyTorch (apt-get install python3-torch libopenblas0-pthread) and a Release build of the benchmarks.
set -euo pipefail
rounds="${1:-2}"
out="${2:-benchmark-results/side-by-side}"
IFS=, read -r -a precisions <<< "${3:-exact}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="$here/bin/Release/net10.0/DSpib.Benchmarks.dll"
[[ -f "$bin" ]] || { echo "build first: dotnet build tests/DSpib.Benchmarks -c Release" >&2; exit 2; }
# A private copy, so that a rebuild during the run cannot replace the assemblies being timed.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$(dirname "$bin")" "$work/bin"
mkdir -p "$out"
export OMP_WAIT_POLICY=PASSIVE
for round in $(seq 1 "$rounds"); do
  for figure in diffusion-step generation matmul; do
    for precision in "${precisions[@]}"; do
      echo "== round $round: dspib $figure, $precision products"
      (cd "$out" && dotnet "$work/bin/DSpib.Benchmarks.dll" "$figure" --threads 1 --precision "$precision") | tee "$out/round$round-dspib-$precision-$figure.txt"
    done
    case "$figure" in
      diffusion-step) py=(--figure diffusion-step --figure score-forward) ;;
      generation) py=(--figure sampling) ;;
      matmul) py=(--figure matmul) ;;
    esac
    echo "== round $round: pytorch ${py[*]}"
    /usr/bin/python3 "$here/pytorch/reference_figures.py" --threads 1 "${py[@]}" | tee "$out/round$round-pytorch-$figure.txt"
  done
done
