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

stop() { # pid file, name
  local pidfile=$1 name=$2 pid
  alive "$pidfile" || { rm -f "$pidfile"; return 0; }
  pid=$(cat "$pidfile")
  kill -TERM "$pid"
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then log "$name ($pid) ignored SIGTERM for 5 s: SIGKILL"; kill -KILL "$pid"; fi
  rm -f "$pidfile"
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

stop "$run_dir/slurmd.pid" slurmd
stop "$run_dir/slurmctld.pid" slurmctld
[ "$keep_munge" = 1 ] || stop /run/munge/munged.pid munged
log "stopped after $(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN {printf "%.2f", b - a}') s"
