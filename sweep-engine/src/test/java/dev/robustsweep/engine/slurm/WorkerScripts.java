package dev.robustsweep.engine.slurm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A trivial worker for the Slurm tests that keeps the {@code robustsweep train --trial T --out D}
 * contract: it writes D/result.json atomically (temp file, sync, rename) and its argv, NUL-separated,
 * to D/argv. If D/sleep exists it first sleeps that many seconds (for cancel and time-limit tests).
 */
final class WorkerScripts {
    private WorkerScripts() {}

    static Path write(Path dir) throws IOException {
        Path script = dir.resolve("test-worker.sh");
        Files.writeString(script, """
                #!/bin/bash
                set -euo pipefail
                trial= out=
                args=("$@")
                while [ $# -gt 0 ]; do
                  case "$1" in
                    --trial) trial=$2; shift 2 ;;
                    --out) out=$2; shift 2 ;;
                    *) shift ;;
                  esac
                done
                [ -f "$trial" ] || { echo "test-worker: no trial file at $trial" >&2; exit 2; }
                printf '%s\\0' "${args[@]}" > "$out/argv"
                if [ -f "$out/sleep" ]; then sleep "$(cat "$out/sleep")"; fi
                tmp=$(mktemp "$out/.result.json.XXXXXX")
                id=$(grep -o '"trial_id" *: *"[^"]*"' "$trial" | head -1 | sed 's/.*"\\([^"]*\\)"$/\\1/' || true)
                printf '{"schema": "robustsweep.result/1", "trial_id": "%s", "status": "completed", "task": "%s", "method": "lora", "metrics": {"accuracy": 0.5, "nll": 0.7}, "trial": {}, "tool_version": "test", "seeds": {}, "checksums": {}, "cuda_visible_devices": "%s", "slurm_job_gpus": "%s", "setup_var": "%s"}\\n' \\
                  "$id" "${SLURM_ARRAY_TASK_ID:-}" "${CUDA_VISIBLE_DEVICES:-}" "${SLURM_JOB_GPUS:-}" "${RS_SETUP_VAR:-}" > "$tmp"
                sync "$tmp"
                mv "$tmp" "$out/result.json"
                """);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }
}
