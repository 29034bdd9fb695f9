#!/usr/bin/env bash
# Installs the PyTorch oracle the trainers' fidelity tests compare against (Debian's python3-torch,
# torch 1.13, run by /usr/bin/python3). libopenblas0-pthread makes its matmul ~30x faster than the
# reference BLAS. With ROBUSTSWEEP_REQUIRE_TORCH=1 those tests fail, rather than skip, without it.
set -euo pipefail
if ! /usr/bin/python3 -c 'import torch, numpy' >/dev/null 2>&1; then
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    python3-torch python3-numpy libopenblas0-pthread
fi
/usr/bin/python3 -c 'import torch; print("torch", torch.__version__)'
