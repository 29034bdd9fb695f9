#!/usr/bin/env bash
# Stop the single-node Slurm started by .ci/slurm-up.sh: cancel all jobs first (killing the daemons
# leaves running jobs alive), then stop slurmd, slurmctld and munged by their pid files.
# --keep-munge: leave munged running (used by slurm-up.sh when it restarts Slurm).
set -uo pipefail
run_dir=/run/slurm
keep_munge=0
[ "${1:-}" = --keep-munge ] && keep_munge=1
started=$(date +%s.%N)

log() { echo "slurm-down: $*" >&2; }
alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# SIGTERM to every daemon at once (each takes ~2 s to save its state), SIGKILL after 10 s
stop() { # pid files...
  local f pids=()
  for f in "$@"; do
    if alive "$f"; then pids+=("$(cat "$f")"); kill -TERM "${pids[-1]}"; fi
  done
  for _ in $(seq 1 100); do
    local left=0 p
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && left=1; done
    [ "$left" = 0 ] && break
    sleep 0.1
  done
  for p in "${pids[@]}"; do
    if kill -0 "$p" 2>/dev/null; then log "pid $p ignored SIGTERM for 10 s: SIGKILL"; kill -KILL "$p"; fi
  done
  rm -f "$@"
}

# cancel every job while the controller still runs, and wait until none is running or completing
if alive "$run_dir/slurmctld.pid" && command -v squeue >/dev/null; then
  jobs=$(squeue -h -t PENDING,RUNNING,SUSPENDED,COMPLETING,CONFIGURING -o %A 2>/dev/null | sort -u)
  if [ -n "$jobs" ]; then
    # shellcheck disable=SC2086  # job ids are plain numbers
    scancel $jobs 2>/dev/null
    for _ in $(seq 1 100); do
      [ -z "$(squeue -h -t RUNNING,COMPLETING,CONFIGURING,PENDING -o %A 2>/dev/null)" ] && break
      sleep 0.2
    done
  fi
fi

if [ "$keep_munge" = 1 ]; then
  stop "$run_dir/slurmd.pid" "$run_dir/slurmctld.pid"
else
  stop "$run_dir/slurmd.pid" "$run_dir/slurmctld.pid" /run/munge/munged.pid
fi
log "stopped after $(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN {printf "%.2f", b - a}') s"
