#!/usr/bin/env bash
# Engine benchmarks (docs/engine.md): 10,000-trial grid expansion, and engine overhead per trial.
#   benchmarks/engine/run.sh [scale|overhead|all]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
cp_file="$root/sweep-engine/target/bench.classpath"
# compile (tests included) and write the test class path; sibling modules resolve to their target/classes
mvn -B -q -o -Dstyle.color=never -pl sweep-engine -am test-compile dependency:build-classpath -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test >&2
cp="$root/sweep-engine/target/test-classes:$root/sweep-engine/target/classes:$(cat "$cp_file")"
export PYTORCH_VERSION="${PYTORCH_VERSION:-2.7.1}" PYTORCH_FLAVOR="${PYTORCH_FLAVOR:-cpu}"
exec java -Xmx2g -Dai.djl.offline=true -cp "$cp" dev.robustsweep.engine.bench.EngineBenchmark "${1:-all}"
