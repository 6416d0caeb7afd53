#!/bin/busybox sh
# /init of the soft-RoCE test VM's initramfs (see run-in-vm.sh): mounts the host's root read-only over 9p,
# loads soft-RoCE, creates rxe0 / rxe1 on a veth pair, runs the command in a chroot of the host root and
# leaves its exit code in the results share. Runs under busybox; the command runs under the host's bash.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

finish()
{
    echo "$1" > /results/exit-code
    sync
    umount /host/run/softroce/results 2>/dev/null
    umount /results 2>/dev/null
    poweroff -f
}

fail()
{
    echo "guest: $*"
    finish 1
}

for module in $(cat /modules/order); do
    insmod "/modules/$module" || fail "insmod $module failed"
done
P9="trans=virtio,version=9p2000.L,msize=524288"
mkdir -p /results /host
mount -t 9p -o "$P9" results /results || fail "cannot mount the results share"
mount -t 9p -o "$P9,ro,cache=loose" hostroot /host || fail "cannot mount the host root"
SHARE="$(cat /results/share)"
KROOT="$(cat /results/kernel-root)"
mount -t proc proc /host/proc
mount -t sysfs sysfs /host/sys
mkdir -p /dev/pts /dev/shm
mount -o bind /dev /host/dev
mount -t devpts devpts /host/dev/pts
mount -t tmpfs tmpfs /host/dev/shm
mount -t tmpfs tmpfs /host/tmp
mount -t tmpfs tmpfs /host/run
mkdir -p "/host$SHARE" 2>/dev/null
mount -t 9p -o "$P9" share "/host$SHARE" || fail "cannot mount the share at $SHARE"
mkdir -p /host/run/softroce/results
cp /results/environment /results/command /host/run/softroce/
# the command's own results (JAVELIN_SOFTROCE_RESULTS) land in the host's results directory
mount -o bind /results /host/run/softroce/results || fail "cannot bind the results share"

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
chroot /host /bin/bash -e -c "
    for module in crc32_generic rdma_rxe rdma_ucm veth; do modprobe -d '$KROOT' \$module; done
    ip link set lo up
    ip link add veth0 type veth peer name veth1
    ip link set veth0 mtu 9000
    ip link set veth1 mtu 9000
    ip addr add 198.18.0.1/24 dev veth0
    ip addr add 198.18.0.2/24 dev veth1
    ip link set veth0 up
    ip link set veth1 up
    rdma link add rxe0 type rxe netdev veth0
    rdma link add rxe1 type rxe netdev veth1
    # Both addresses are local, so the kernel would route 198.18.0.2 -> 198.18.0.1 through lo, where no rxe
    # device listens. Route traffic this host sends between them out of the veth instead (lookups of locally
    # sent packets have iif lo; received ones fall through to the local table), and accept packets that carry
    # a local source address.
    for conf in all veth0 veth1; do
        sysctl -qw net.ipv4.conf.\$conf.accept_local=1 net.ipv4.conf.\$conf.rp_filter=0
    done
    ip rule add pref 100 lookup local
    ip rule del pref 0
    ip rule add pref 10 iif lo from 198.18.0.2 to 198.18.0.1 lookup 10
    ip rule add pref 11 iif lo from 198.18.0.1 to 198.18.0.2 lookup 11
    ip route add 198.18.0.1 dev veth1 src 198.18.0.2 table 10
    ip route add 198.18.0.2 dev veth0 src 198.18.0.1 table 11
" || fail "soft-RoCE set-up failed"
cut -d' ' -f1 /proc/uptime > /results/boot-seconds
echo "guest: soft-RoCE up after $(cat /results/boot-seconds) s: rxe0 198.18.0.1, rxe1 198.18.0.2"

chroot /host /bin/bash -c "
    export HOME=/root LANG=C.UTF-8
    . /run/softroce/environment
    cd '$SHARE' && eval \"\$(cat /run/softroce/command)\"
" < /dev/null
finish $?
