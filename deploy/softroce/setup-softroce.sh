#!/usr/bin/env bash
# Sets up soft-RoCE (the rdma_rxe kernel module) on one network interface of this machine, e.g. a laptop VM or
# a cluster node without RDMA hardware, checks the locked-memory limit, and prints what Javelin sees.
#
#   sudo deploy/softroce/setup-softroce.sh NETDEV        e.g. eth0, enp0s3 (ip -br link lists them)
#
# Every rank's host needs this once per boot. Ranks then run with --transport rdma (or auto), and reach each
# other at the IP addresses of their NETDEVs. Undo with: sudo rdma link delete rxe_NETDEV
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"

if [ $# -ne 1 ] || [ "$1" = -h ] || [ "$1" = --help ]; then
    sed -n '2,9p' "$0"
    exit 2
fi
NETDEV="$1"
if [ "$(id -u)" != 0 ]; then
    echo "setup-softroce: needs root (modprobe, rdma link add): sudo $0 $NETDEV" >&2
    exit 2
fi
if [ ! -e "/sys/class/net/$NETDEV" ]; then
    echo "setup-softroce: no network interface $NETDEV; choose one of: $(ls /sys/class/net | tr '\n' ' ')" >&2
    exit 2
fi

need=()
command -v rdma >/dev/null || need+=(iproute2)
command -v ibv_devices >/dev/null || need+=(ibverbs-utils)
command -v rping >/dev/null || need+=(rdmacm-utils)
ls /usr/lib/*/libibverbs/librxe-rdmav*.so >/dev/null 2>&1 || need+=(ibverbs-providers rdma-core)
if [ ${#need[@]} -gt 0 ]; then
    if ! command -v apt-get >/dev/null; then
        echo "setup-softroce: install ${need[*]} (rdma-core's user space) with your package manager" >&2
        exit 1
    fi
    echo "setup-softroce: installing ${need[*]}"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi

# rdma_rxe needs the generic crc32 before it loads, or 'rdma link add' fails with ENOENT
modprobe crc32_generic 2>/dev/null || true
if ! modprobe rdma_rxe; then
    echo "setup-softroce: this kernel has no rdma_rxe module (CONFIG_RDMA_RXE); install the distribution's" \
        "full kernel (e.g. linux-image-amd64, linux-modules-extra-\$(uname -r) on Ubuntu)" >&2
    exit 1
fi
modprobe rdma_ucm

existing="$(rdma link show | awk -v dev="$NETDEV" '$0 ~ "netdev " dev "( |$)" {print $2}' | cut -d/ -f1)"
if [ -n "$existing" ]; then
    echo "setup-softroce: $NETDEV already has soft-RoCE device $existing"
else
    rdma link add "rxe_$NETDEV" type rxe netdev "$NETDEV"
    echo "setup-softroce: created rxe_$NETDEV on $NETDEV"
fi
rdma link show
ibv_devices

mtu="$(cat "/sys/class/net/$NETDEV/mtu")"
if [ "$mtu" -lt 4200 ]; then
    echo "setup-softroce: $NETDEV has MTU $mtu, so RoCE runs with a path MTU of $([ "$mtu" -ge 2200 ] && echo 2048 \
|| echo 1024); for 4096 raise it on every host: ip link set $NETDEV mtu 9000"
fi

user_limit="$(su -s /bin/sh -c 'ulimit -l' "${SUDO_USER:-root}" 2>/dev/null || ulimit -l)"
if [ "$user_limit" != unlimited ] && [ "$user_limit" -lt 65536 ]; then
    echo "setup-softroce: ${SUDO_USER:-root}'s locked-memory limit is ${user_limit} KiB (ulimit -l); the RDMA" \
        "transport registers several MiB per rank. Raise it: add '${SUDO_USER:-*} - memlock unlimited' to" \
        "/etc/security/limits.conf and log in again (or 'ulimit -l unlimited' in a root shell)"
fi

if [ -x "$ROOT/javelin" ]; then
    echo "setup-softroce: ./javelin info (builds Javelin the first time):"
    if [ -n "${SUDO_USER:-}" ]; then
        su -s /bin/bash -c "cd '$ROOT' && ./javelin info" "$SUDO_USER" || true
    else
        "$ROOT/javelin" info || true
    fi
fi
