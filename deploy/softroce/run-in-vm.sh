#!/usr/bin/env bash
# Runs a command inside a throw-away QEMU VM that has two soft-RoCE devices (rxe0, rxe1 on a veth pair), and
# exits with the command's exit code. For testing Javelin's RDMA transport on a machine without RDMA hardware.
#
#   sudo deploy/softroce/run-in-vm.sh [--share DIR] [--work DIR] [--timeout SECONDS] [--memory MB] -- COMMAND...
#
# The VM boots the current Debian kernel package (downloaded with apt-get download, unpacked into the work
# directory, never installed as this machine's kernel) from a busybox initramfs, mounts this machine's root file
# system read-only over 9p, a tmpfs on /tmp and /run (host /tmp is hidden inside: keep the checkout and ~/.m2
# elsewhere, or pass the checkout as --share), and DIR (default: the current directory) writable at the same path.
# COMMAND runs as root in DIR under bash, with rxe0 = veth0 198.18.0.1 and rxe1 = veth1 198.18.0.2 (MTU 9000, so
# the RoCE path MTU is 4096). The guest's console is saved in WORK/results/console.log and shown on failure.
# Needs root (apt-get, and a VM that loads kernel modules). Software emulation (TCG): /dev/kvm is not used.
# Single-threaded TCG: with one host thread per vCPU (MTTCG) a JVM in the guest crashed now and then right on a
# jump the JIT had just patched into a method's entry (cross-modified code); round-robin TCG has not. The guest
# CPU is a Westmere (no AVX to emulate); JAVELIN_SOFTROCE_CPU overrides it. The host root is mounted with cache=loose (it must not change during a run):
# that makes a JVM start take 1-5 s instead of 30.
set -euo pipefail

SHARE="$(pwd)"
WORK="${JAVELIN_SOFTROCE_WORK:-/var/cache/javelin-softroce}"
TIMEOUT=1800
MEMORY_MB=4096
CPUS=2
while [ $# -gt 0 ]; do
    case "$1" in
        --share) SHARE="$(cd "$2" && pwd)"; shift 2 ;;
        --work) WORK="$2"; shift 2 ;;
        --timeout) TIMEOUT="$2"; shift 2 ;;
        --memory) MEMORY_MB="$2"; shift 2 ;;
        --cpus) CPUS="$2"; shift 2 ;;
        --) shift; break ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        *) echo "run-in-vm: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
if [ $# -eq 0 ]; then
    echo "run-in-vm: give the command to run after --, e.g. -- ibv_devices" >&2
    exit 2
fi
if [ "$(id -u)" != 0 ]; then
    echo "run-in-vm: needs root (installs packages with apt-get, unpacks a kernel); run it with sudo" >&2
    exit 2
fi
case "$WORK" in
    /tmp|/tmp/*) echo "run-in-vm: --work must be outside /tmp (the guest mounts a tmpfs over /tmp)" >&2; exit 2 ;;
esac
case "$SHARE" in
    /) echo "run-in-vm: --share / would make the whole root writable in the guest; name a directory" >&2; exit 2 ;;
esac

log() { echo "run-in-vm: $*" >&2; }

# ---------------------------------------------------------------- packages
need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
{ [ -x /bin/busybox ] && { ldd /bin/busybox 2>&1 || true; } | grep -q "not a dynamic"; } || need+=(busybox-static)
command -v cpio >/dev/null || need+=(cpio)
command -v depmod >/dev/null || need+=(kmod)
command -v rdma >/dev/null || need+=(iproute2)
ls /usr/lib/*/libibverbs/librxe-rdmav*.so >/dev/null 2>&1 || need+=(ibverbs-providers)
command -v rping >/dev/null || need+=(rdmacm-utils)
command -v ib_write_lat >/dev/null || need+=(perftest)
command -v ibv_devices >/dev/null || need+=(ibverbs-utils rdma-core)
if [ ${#need[@]} -gt 0 ]; then
    log "installing ${need[*]}"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi

# ---------------------------------------------------------------- kernel
mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"
# One VM at a time per work directory: runs share the kernel, the initramfs and the results directory (and two
# TCG VMs on one machine would only slow each other down).
exec 8> "$WORK/.lock"
if ! flock -n 8; then
    log "another VM run holds $WORK/.lock; waiting for it"
    flock 8
fi
kernel_package() { apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-/{print $2; exit}'; }
KPKG="$(kernel_package)"
if [ -z "$KPKG" ] || [ ! -f "$WORK/kernel-${KPKG#linux-image-}/boot/vmlinuz-${KPKG#linux-image-}" ]; then
    # not unpacked yet: fresh package lists, so that the version to download is still on the mirror
    apt-get update -q >/dev/null || log "apt-get update failed; trying the package lists there are"
    KPKG="$(kernel_package)"
fi
if [ -z "$KPKG" ]; then
    log "no Debian kernel package found (apt-cache depends linux-image-amd64): this needs Debian's apt sources"
    exit 1
fi
KVER="${KPKG#linux-image-}"
KROOT="$WORK/kernel-$KVER"
if [ ! -f "$KROOT/boot/vmlinuz-$KVER" ]; then
    log "downloading $KPKG (unpacked into $KROOT, not installed)"
    rm -rf "$KROOT" "$WORK/download"
    mkdir -p "$WORK/download"
    (cd "$WORK/download" && apt-get download "$KPKG" >/dev/null 2>&1)
    dpkg -x "$WORK"/download/"$KPKG"_*.deb "$KROOT.partial"
    depmod -b "$KROOT.partial" "$KVER"
    mv "$KROOT.partial" "$KROOT"
    rm -rf "$WORK/download"
fi

# ---------------------------------------------------------------- initramfs
GUEST_INIT="$(dirname "$(readlink -f "$0")")/guest-init.sh"
# named by the scripts' contents: checkouts with different versions of them share the work directory
INITRD="$WORK/initrd-$KVER-$(cat "$GUEST_INIT" "$0" | sha1sum | cut -c1-12).cpio.gz"
if [ ! -f "$INITRD" ]; then
    log "building the initramfs"
    staging="$WORK/initrd.staging"
    rm -rf "$staging"
    mkdir -p "$staging"/{bin,proc,sys,dev,host,modules}
    cp /bin/busybox "$staging/bin/busybox"
    for module in virtio_pci 9pnet_virtio 9p; do
        modprobe -d "$KROOT" -S "$KVER" --show-depends "$module" | awk '$1 == "insmod" {print $2}'
    done | awk '!seen[$0]++' | while read -r ko; do
        cp "$ko" "$staging/modules/"
        echo "$(basename "$ko")" >> "$staging/modules/order"
    done
    cp "$GUEST_INIT" "$staging/init"
    chmod +x "$staging/init"
    (cd "$staging" && find . | cpio -o -H newc --quiet | gzip -1) > "$INITRD.partial"
    mv "$INITRD.partial" "$INITRD"
    rm -rf "$staging"
    find "$WORK" -maxdepth 1 -name "initrd-*.cpio.gz" ! -newer "$INITRD" ! -path "$INITRD" -mtime +7 -delete
fi

# ---------------------------------------------------------------- run
RESULTS="$WORK/results"
boot()
{
    rm -rf "$RESULTS"
    mkdir -p "$RESULTS"
    printf '%s\n' "$KROOT" > "$RESULTS/kernel-root"
    printf '%s\n' "$SHARE" > "$RESULTS/share"
    printf '%q ' "$@" > "$RESULTS/command"
    for name in JAVA_HOME PATH MAVEN_OPTS $(compgen -e | grep -E '^JAVELIN_' || true); do
        [ -n "${!name+x}" ] && printf 'export %s=%q\n' "$name" "${!name}"
    done > "$RESULTS/environment"
    # the command may leave files in the results directory: it is /run/softroce/results in the guest
    echo "export JAVELIN_SOFTROCE_RESULTS=/run/softroce/results" >> "$RESULTS/environment"

    log "booting (kernel $KVER, TCG, ${CPUS} CPUs, ${MEMORY_MB} MB); running: $*"
    started=$(date +%s)
    set +e
    timeout --foreground -k 10 "$TIMEOUT" qemu-system-x86_64 \
        -accel tcg,thread=single -cpu "${JAVELIN_SOFTROCE_CPU:-Westmere}" -smp "$CPUS" -m "$MEMORY_MB" \
        -nographic -no-reboot -nic none \
        -kernel "$KROOT/boot/vmlinuz-$KVER" -initrd "$INITRD" \
        -append "console=ttyS0 panic=-1 quiet loglevel=3" \
        -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
        -virtfs local,path="$RESULTS",mount_tag=results,security_model=none,multidevs=remap \
        -virtfs local,path="$SHARE",mount_tag=share,security_model=none,multidevs=remap \
        < /dev/null > "$RESULTS/console.log" 2>&1
    qemu_status=$?
    set -e
    elapsed=$(( $(date +%s) - started ))
}

# A boot that never reached the command (no boot-seconds: QEMU, the initramfs or the soft-RoCE set-up failed) is
# an infrastructure failure: boot once more. A command that started is never run again, whatever its result.
boot "$@"
if [ ! -f "$RESULTS/boot-seconds" ] && [ "$qemu_status" != 124 ] && [ "$qemu_status" != 137 ]; then
    log "the VM failed before the command started (qemu exit $qemu_status); its console, then one more boot:"
    cat "$RESULTS/console.log" >&2
    boot "$@"
fi

if [ -f "$RESULTS/exit-code" ]; then
    status="$(cat "$RESULTS/exit-code")"
    log "the command exited with $status after ${elapsed} s in the VM (boot took $(cat "$RESULTS/boot-seconds" \
2>/dev/null || echo '?') s of guest time)"
    log "guest console ($RESULTS/console.log):"
    sed -e 's/\x1b\[[0-9;?]*[a-zA-Z]//g' -e '/^SeaBIOS\|^Booting from ROM/d' "$RESULTS/console.log" >&2
    exit "$status"
fi
if [ "$qemu_status" = 124 ] || [ "$qemu_status" = 137 ]; then
    log "the VM did not finish within $TIMEOUT s (--timeout); guest console:"
else
    log "the VM stopped (qemu exit $qemu_status) before the command finished; guest console:"
fi
cat "$RESULTS/console.log" >&2
exit 1
