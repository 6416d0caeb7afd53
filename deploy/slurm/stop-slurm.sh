#!/usr/bin/env bash
# stop-slurm.sh [--keep] DIR: stops the single-node Slurm that start-slurm.sh started under DIR: cancels its
# jobs, stops slurmd, slurmctld and munged (TERM, then KILL after 10 s), stops any job step daemon
# (slurmstepd) left holding files under DIR, and removes DIR (unless --keep, for reading the logs).
# Stops only processes whose pid files or open files are under DIR; safe to run twice.
set -uo pipefail

keep=0
if [[ "${1:-}" == "--keep" ]]; then
    keep=1
    shift
fi
dir="${1:-}"
if [[ -z "$dir" ]]; then
    echo "stop-slurm: usage: stop-slurm.sh [--keep] DIR (the directory start-slurm.sh printed)" >&2
    exit 2
fi
if [[ ! -d "$dir" ]]; then
    echo "stop-slurm: $dir does not exist: nothing to stop" >&2
    exit 0
fi
if [[ ! -f "$dir/slurm.conf" && ! -d "$dir/run" ]]; then
    echo "stop-slurm: $dir was not made by start-slurm.sh (no slurm.conf, no run/): not touching it" >&2
    exit 2
fi
dir="$(cd "$dir" && pwd)"
export SLURM_CONF="$dir/slurm.conf"

# Cancel every job of this cluster and give them a few seconds to end.
if [[ -f "$dir/run/slurmctld.pid" ]] && kill -0 "$(cat "$dir/run/slurmctld.pid")" 2>/dev/null; then
    jobs="$(timeout 10 squeue -h -o '%i' 2>/dev/null || true)"
    if [[ -n "$jobs" ]]; then
        # shellcheck disable=SC2086
        timeout 10 scancel $jobs 2>/dev/null || true
        for _ in $(seq 1 30); do
            [[ -z "$(timeout 5 squeue -h -o '%i' 2>/dev/null || true)" ]] && break
            sleep 0.5
        done
    fi
fi

# Stops one process by pid: TERM, then KILL if it has not gone after 10 s.
stop_pid()
{
    local pid="$1"
    # Only a real process id: kill 0 or -N would signal a whole process group (ours).
    [[ "$pid" =~ ^[0-9]+$ && "$pid" -gt 1 ]] || return 0
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
}

for daemon in slurmd slurmctld munged; do
    pid_file="$dir/run/$daemon.pid"
    if [[ -f "$pid_file" ]]; then
        stop_pid "$(cat "$pid_file")"
        rm -f "$pid_file"
    fi
done

# Step daemons outlive slurmd; ours hold its log file (under DIR) open.
for proc in /proc/[0-9]*; do
    pid="${proc#/proc/}"
    [[ "$(cat "$proc/comm" 2>/dev/null)" == slurmstepd ]] || continue
    if ls -l "$proc/fd" 2>/dev/null | grep -qF "$dir/"; then
        stop_pid "$pid"
    fi
done

if [[ "$keep" == 0 ]]; then
    rm -rf "$dir"
    echo "stop-slurm: stopped and removed $dir" >&2
else
    echo "stop-slurm: stopped; kept $dir" >&2
fi
