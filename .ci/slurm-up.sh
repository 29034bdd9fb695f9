#!/usr/bin/env bash
# Start a single-node Slurm on localhost for the Slurm integration tests (root, Debian 12, no systemd).
# Idempotent: installs the packages only when missing, and returns at once when the daemons already
# run with this configuration. Stop with .ci/slurm-down.sh (by pid file).
# Environment: SLURM_CI_CPUS (CPUs offered by the node, default max(nproc, 4)),
#              SLURM_CI_GPUS (simulated GPUs, default 2).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
run_dir=/run/slurm
conf_dir=/etc/slurm
started=$(date +%s.%N)

log() { echo "slurm-up: $*" >&2; }
die() { log "error: $*"; exit 1; }
alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

[ "$(id -u)" = 0 ] || die "must run as root (installs packages and starts daemons)"

# 1. packages (apt only when something is missing)
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null \
   || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
  log "installing slurmctld slurmd slurm-client munge"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null
fi

# 2. configuration from the templates
cpus="${SLURM_CI_CPUS:-$(( $(nproc) > 4 ? $(nproc) : 4 ))}"
gpus="${SLURM_CI_GPUS:-2}"
[[ "$cpus" =~ ^[1-9][0-9]*$ ]] || die "SLURM_CI_CPUS must be a positive integer, got '$cpus'"
[[ "$gpus" =~ ^[1-9][0-9]*$ ]] || die "SLURM_CI_GPUS must be a positive integer, got '$gpus'"
mem_mb=$(( $(awk '/^MemTotal:/ {print $2}' /proc/meminfo) / 1024 ))
real_mem=$(( mem_mb > 2048 ? mem_mb - 1024 : mem_mb ))   # leave 1 GiB to the system
def_mem=$(( real_mem / cpus < 512 ? real_mem / cpus : 512 ))

gpu_files=()
for ((i = 0; i < gpus; i++)); do gpu_files+=("/dev/robustsweep-fakegpu$i"); done
gpu_list=$(IFS=,; echo "${gpu_files[*]}")

mkdir -p "$conf_dir" "$run_dir" /var/lib/slurm/slurmctld /var/lib/slurm/slurmd /var/log/slurm
chown slurm:slurm "$run_dir" /var/lib/slurm/slurmctld /var/log/slurm
render() {
  sed -e "s|@RUN_DIR@|$run_dir|g" -e "s|@CPUS@|$cpus|g" -e "s|@GPUS@|$gpus|g" \
      -e "s|@REAL_MEMORY@|$real_mem|g" -e "s|@DEF_MEM_PER_CPU@|$def_mem|g" \
      -e "s|@GPU_FILES@|$gpu_list|g" "$1"
}
new_conf=$(render "$here/slurm/slurm.conf.in")
new_gres=$(render "$here/slurm/gres.conf.in")
changed=0
if [ "$new_conf" != "$(cat "$conf_dir/slurm.conf" 2>/dev/null)" ] \
   || [ "$new_gres" != "$(cat "$conf_dir/gres.conf" 2>/dev/null)" ]; then
  changed=1
  printf '%s\n' "$new_conf" > "$conf_dir/slurm.conf"
  printf '%s\n' "$new_gres" > "$conf_dir/gres.conf"
fi
for f in "${gpu_files[@]}"; do [ -c "$f" ] || mknod -m 666 "$f" c 1 3; done

# 3. daemons (restarted only when the configuration changed)
if [ "$changed" = 1 ] && { alive "$run_dir/slurmctld.pid" || alive "$run_dir/slurmd.pid"; }; then
  log "configuration changed: restarting the Slurm daemons"
  "$here/slurm-down.sh" --keep-munge
fi
if ! alive /run/munge/munged.pid; then
  install -d -o munge -g munge -m 0755 /run/munge
  runuser -u munge -- munged
fi
alive "$run_dir/slurmctld.pid" || slurmctld
alive "$run_dir/slurmd.pid" || slurmd -N localhost

# 4. wait until the node is idle (or mixed/allocated when jobs from an earlier run remain)
for _ in $(seq 1 150); do
  state=$(sinfo -h -N -n localhost -o %T 2>/dev/null || true)
  case "$state" in
    idle|mixed|allocated|completing)
      log "node localhost is $state (cpus=$cpus gpus=$gpus mem=${real_mem}M) after $(
        awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN {printf "%.2f", b - a}') s"
      exit 0 ;;
    *drain*|*down*|*fail*)
      die "node localhost is $state: $(sinfo -h -R -o '%E' 2>/dev/null); see /var/log/slurm/slurmd.log" ;;
  esac
  sleep 0.2
done
die "node localhost not idle after 30 s (state '${state:-none}'); see /var/log/slurm/slurmctld.log and slurmd.log"
