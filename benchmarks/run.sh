#!/usr/bin/env bash
# Runs a benchmark on this machine: bash benchmarks/run.sh <training|...> [args...]
#   training [methods...] [--rounds N] [--memory] [--profile DIR] [--torch]
#                                         step time / tokens/s per method vs LoRA and full FT, with the
#                                         engine's fp32 matmul rate measured in the same run; --torch adds the
#                                         same step in PyTorch eager (benchmarks/torch_training.py) side by side
#   decoder [methods...] [--rounds N] [--batch B] [--seq T] [--threads N] [--no-generation] [--profile DIR];
#           a method "lora+bf16" runs with bf16
#                                         SmolLM-135M-shaped random decoder: training tokens/s per method vs the
#                                         matmul rate, LoRA/full_ft, MonteCLoRA/LoRA; generation with/without KV cache
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
which="${1:-training}"; shift || true
mvn -B -q -ntp -pl trainers test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test >&2
cp="trainers/target/test-classes:trainers/target/classes:$(cat trainers/target/bench.cp)"
export PYTORCH_VERSION="${PYTORCH_VERSION:-2.7.1}" PYTORCH_FLAVOR="${PYTORCH_FLAVOR:-cpu}"
case "$which" in
  training) exec java -Xmx6g -Dai.djl.offline=true -Drobustsweep.home="$root" -cp "$cp" dev.robustsweep.trainers.bench.TrainingBenchmark "$@" ;;
  decoder) exec java -Xmx6g -Dai.djl.offline=true -Drobustsweep.home="$root" -cp "$cp" dev.robustsweep.trainers.bench.DecoderBenchmark "$@" ;;
  *) echo "unknown benchmark '$which' (expected: training, decoder)" >&2; exit 2 ;;
esac
