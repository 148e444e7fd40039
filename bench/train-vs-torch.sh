#!/usr/bin/env bash
# End to end, the way users run Strata: `strata train` on Fashion-MNIST beside the same training in
# PyTorch (bench/train_torch.py), both on one thread, alternating in rounds (the order flips each
# round) so that both see the same machine. Per run: EPOCHS epochs, each one shuffled training pass
# plus one validation pass; the first epoch is warm-up and the median of the rest is the run's
# steady epoch. Prints, per network, the median over rounds of the epoch times, their ratio
# (PyTorch / Strata: above 1 means Strata is faster), and the effective GFLOP/s of each side as a
# fraction of this core's FMA peak (bench/fma_peak.c).
#
# Networks: a = 784-256-256-10 ReLU, Adam 1e-3, batch 64; b = 784-128-128-10 ReLU, SGD momentum 0.9,
# batch 32; e = issue 17's LeNet-like convolutional network on 1x28x28 (bench/specs/fashion-e.json),
# SGD momentum 0.9, batch 64 (not in the default NETS). Data: Debian's dataset-fashion-mnist, the
# default 60/20/20 split of its 60,000 training images, min-max scaled.
#
# Usage: bench/train-vs-torch.sh   ROUNDS=3 EPOCHS=5 NETS="a b"
# Installs python3-torch, python3-numpy, dataset-fashion-mnist and gcc with apt-get when missing (as
# root). Raw output stays in bench/results/<UTC time>-train/ (git-ignored).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${ROUNDS:-3}"
epochs="${EPOCHS:-5}"
nets="${NETS:-a b}"
python=/usr/bin/python3
data=/usr/share/datasets/fashion-mnist

missing=()
"$python" -c 'import numpy' 2>/dev/null || missing+=(python3-numpy)
"$python" -c 'import torch' 2>/dev/null || missing+=(python3-torch)
[ -d "$data" ] || missing+=(dataset-fashion-mnist)
command -v gcc >/dev/null 2>&1 || missing+=(gcc)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=900 "${missing[@]}"
  else
    echo "train-vs-torch: missing ${missing[*]}; install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 2
  fi
fi

. "$root/bench/openblas-core.sh"
out="$root/bench/results/$(date -u +%Y%m%dT%H%M%SZ)-train"
mkdir -p "$out"
[ -f "$root/experiments/target/strata.jar" ] || (cd "$root" && ./mvnw -q -B -DskipTests package)
gcc -O2 -march=native -o "$out/fma_peak" "$root/bench/fma_peak.c"
peak=$("$out/fma_peak" 2>/dev/null | awk '{print $1}')
vector="$(grep -o -m1 avx512f /proc/cpuinfo || echo avx2)"
echo "host: $(nproc) cores, $vector, FMA peak of one core ${peak} GFLOP/s; OpenBLAS core $openblas_core;"\
  "PyTorch $("$python" -c 'import torch; print(torch.__version__)'); rounds $rounds, epochs $epochs"

for net in $nets; do
  sed "s/\"epochs\": [0-9]*/\"epochs\": $epochs/" "$root/bench/specs/fashion-$net.json" > "$out/spec-$net.json"
done
strata_run() { # net round
  OMP_NUM_THREADS=1 "$root/strata" train --dataset "idx:$data" --spec "$out/spec-$1.json" \
    --test 0.2 --preprocess minmax --split-seed 0 > "$out/strata-$1-$2.txt"
}
torch_run() {
  OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 "$python" "$root/bench/train_torch.py" "$data" "$1" "$epochs" \
    > "$out/torch-$1-$2.txt"
}
for r in $(seq 1 "$rounds"); do
  for net in $nets; do
    if [ $((r % 2)) = 1 ]; then strata_run "$net" "$r"; torch_run "$net" "$r"; else torch_run "$net" "$r"; strata_run "$net" "$r"; fi
  done
done
"$python" "$root/bench/train_table.py" "$out" "$peak" "$nets"
