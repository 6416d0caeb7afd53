#!/usr/bin/env bash
# Javelin over RDMA next to perftest (C, the verbs reference), on the same soft-RoCE devices in the same boot:
# server / rank 0 on rxe0, client / rank 1 on rxe1. Prints the ratios Javelin / perftest in a table and saves
# it (with the raw outputs) in OUT (default: JAVELIN_SOFTROCE_RESULTS, the VM's results share, else
# transport-rdma/target/softroce). Under TCG emulation absolute times mean little: the ratios are the result.
# Runs inside the VM (guest-rdma-tests.sh), or on any machine with rxe0 = 198.18.0.1 and rxe1 = 198.18.0.2.
# Exits non-zero when a run fails or prints no result; missing a target ratio is reported, not a failure.
#
#   deploy/softroce/rdma-vs-perftest.sh [OUT]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
OUT="${1:-${JAVELIN_SOFTROCE_RESULTS:-$ROOT/transport-rdma/target/softroce}}"
mkdir -p "$OUT"
export JAVELIN_RDMA_ADDRESS=198.18.0.1,198.18.0.2
SERVER_IP=198.18.0.1
# Few iterations: under TCG on a busy host a round trip costs milliseconds (perftest) to much more (the JVM).
LAT_ITERS=200
JAVELIN_LAT_ITERS=50
BW_ITERS=100
MIB=1048576

# The RoCE v2 GID of DEVICE's IPv4 address (perftest -x): ::ffff:a.b.c.d with type "RoCE v2".
gid_index()
{
    local device="$1" ip="$2" port="/sys/class/infiniband/$1/ports/1" i gid type
    local want
    want="0000:0000:0000:0000:0000:ffff:$(printf '%02x%02x:%02x%02x' ${ip//./ })"
    for i in $(seq 0 31); do
        gid="" type=""
        read -r gid < "$port/gids/$i" 2>/dev/null || true
        read -r type < "$port/gid_attrs/types/$i" 2>/dev/null || true
        if [ "$gid" = "$want" ] && [ "$type" = "RoCE v2" ]; then
            echo "$i"
            return 0
        fi
    done
    echo "rdma-vs-perftest: $device has no RoCE v2 GID for $ip (see $port/gids)" >&2
    return 1
}
GID0="$(gid_index rxe0 198.18.0.1)"
GID1="$(gid_index rxe1 198.18.0.2)"

# perftest NAME PORT ARGS...: server on rxe0, client on rxe1; the client's report goes to OUT/NAME.txt.
perftest()
{
    local name="$1" port="$2" i
    shift 2
    timeout -k 5 180 "$name" -d rxe0 -i 1 -x "$GID0" -p "$port" -F "$@" > "$OUT/$name.server.txt" 2>&1 &
    local server=$!
    for i in $(seq 1 600); do
        ss -Hltn "sport = :$port" | grep -q . && break
        kill -0 "$server" 2>/dev/null || break
        sleep 0.1
    done
    echo "+ $name -d rxe1 -i 1 -x $GID1 -p $port -F $* $SERVER_IP"
    if ! timeout -k 5 180 "$name" -d rxe1 -i 1 -x "$GID1" -p "$port" -F "$@" "$SERVER_IP" > "$OUT/$name.txt" 2>&1
    then
        cat "$OUT/$name.txt" "$OUT/$name.server.txt"
        echo "rdma-vs-perftest: $name failed (client output, then server output above)" >&2
        kill "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
        return 1
    fi
    wait "$server" || { cat "$OUT/$name.server.txt"; echo "rdma-vs-perftest: $name server failed" >&2; return 1; }
    cat "$OUT/$name.txt"
}

# column FILE SIZE N: column N of the data line for SIZE bytes (perftest and OSU layouts both start with it).
column()
{
    local value
    value="$(awk -v size="$2" -v n="$3" '$1 == size && $2 ~ /^[0-9.]+$/ {v = $n} END {print v}' "$1")"
    if [ -z "$value" ]; then
        echo "rdma-vs-perftest: no result for $2 bytes in $1" >&2
        return 1
    fi
    echo "$value"
}

javelin()
{
    local name="$1"
    shift
    echo "+ ./javelin $*"
    timeout -k 10 600 ./javelin "$@" 2>&1 | tee "$OUT/$name.txt"
}

javelin javelin-pingpong pingpong --transport rdma --timeout 500 --sizes 4:8 --iterations "$JAVELIN_LAT_ITERS" \
    --warmup 10
javelin javelin-bw bench bw --transport rdma --timeout 500 --sizes 256k:1m --iterations 3 --warmup 1
# the default above moves large messages by RGET (RDMA READ); RPUT (WRITE_WITH_IMM) is the like of ib_write_bw
javelin javelin-bw-put bench bw --transport rdma --timeout 500 -Djavelin.rendezvous=put --sizes 1m:1m \
    --iterations 3 --warmup 1
perftest ib_send_lat 18515 -s 8 -n "$LAT_ITERS"
perftest ib_write_lat 18516 -s 8 -n "$LAT_ITERS"
perftest ib_write_bw 18517 -s "$MIB" -n "$BW_ITERS"
perftest ib_read_bw 18518 -s "$MIB" -n "$BW_ITERS"

# OSU latency columns: Size, Latency (average), P50, P99. perftest lat: bytes, iterations, t_min, t_max,
# t_typical (median), t_avg, ... perftest bw: bytes, iterations, BW peak, BW average, in MB/s of 2^20 bytes.
j_avg="$(column "$OUT/javelin-pingpong.txt" 8 2)"
j_p50="$(column "$OUT/javelin-pingpong.txt" 8 3)"
j_bw="$(column "$OUT/javelin-bw.txt" "$MIB" 2)"
j_bw_put="$(column "$OUT/javelin-bw-put.txt" "$MIB" 2)"
send_avg="$(column "$OUT/ib_send_lat.txt" 8 6)"
send_med="$(column "$OUT/ib_send_lat.txt" 8 5)"
write_avg="$(column "$OUT/ib_write_lat.txt" 8 6)"
write_med="$(column "$OUT/ib_write_lat.txt" 8 5)"
p_bw_mib="$(column "$OUT/ib_write_bw.txt" "$MIB" 4)"
p_read_mib="$(column "$OUT/ib_read_bw.txt" "$MIB" 4)"

awk -v ja="$j_avg" -v jm="$j_p50" -v jb="$j_bw" -v sa="$send_avg" -v sm="$send_med" -v wa="$write_avg" \
    -v wm="$write_med" -v pb="$p_bw_mib" -v jp="$j_bw_put" -v pr="$p_read_mib" -v kernel="$(uname -r)" 'BEGIN {
    pbw = pb * 1.048576
    prd = pr * 1.048576
    line = "+-------------------------------------+-----------+-------------------------+-----------+---------+--------+"
    printf "\nJavelin vs perftest over soft-RoCE (rxe0 <-> rxe1, kernel %s, QEMU TCG: absolute numbers are\n", kernel
    printf "emulated, the ratios are the result)\n"
    print line
    printf "| %-35s | %9s | %-23s | %9s | %7s | %-6s |\n", "measure", "Javelin", "perftest", "perftest", \
        "ratio", "target"
    print line
    row("8 B latency, average (us)", ja, "ib_send_lat t_avg", sa, ja / sa, "<=1.10", ja / sa <= 1.10)
    row("8 B latency, median (us)", jm, "ib_send_lat t_typical", sm, jm / sm, "", -1)
    row("8 B latency, average (us)", ja, "ib_write_lat t_avg", wa, ja / wa, "", -1)
    row("8 B latency, median (us)", jm, "ib_write_lat t_typical", wm, jm / wm, "", -1)
    row("1 MiB bandwidth (MB/s, 10^6 B)", jb, "ib_write_bw BW average", pbw, jb / pbw, ">=0.90", jb / pbw >= 0.9)
    row("1 MiB bw, rendezvous=get (RGET)", jb, "ib_read_bw BW average", prd, jb / prd, "", -1)
    row("1 MiB bw, rendezvous=put (RPUT)", jp, "ib_write_bw BW average", pbw, jp / pbw, "", -1)
    print line
    printf "RATIO latency_8B_vs_ib_send_lat=%.2f bandwidth_1MiB_vs_ib_write_bw=%.2f\n", ja / sa, jb / pbw
}
function row(measure, j, tool, p, ratio, target, met)
{
    printf "| %-35s | %9.2f | %-23s | %9.2f | %7.2f | %-6s |%s\n", measure, j, tool, p, ratio, target, \
        met < 0 ? "" : (met ? " met" : " missed")
}' | tee "$OUT/rdma-vs-perftest.txt"
cat >> "$OUT/rdma-vs-perftest.txt" <<EOF

Commands (server / rank 0 on rxe0 = $SERVER_IP, client / rank 1 on rxe1, GID index $GID0 / $GID1 = RoCE v2):
  ./javelin pingpong --transport rdma --sizes 4:8 --iterations $JAVELIN_LAT_ITERS --warmup 10
  ./javelin bench bw --transport rdma --sizes 256k:1m --iterations 3 --warmup 1   (window 64; RGET)
  ./javelin bench bw --transport rdma -Djavelin.rendezvous=put --sizes 1m:1m --iterations 3 --warmup 1
  ib_send_lat  -d rxe0|rxe1 -i 1 -x GID -F -s 8 -n $LAT_ITERS
  ib_write_lat -d rxe0|rxe1 -i 1 -x GID -F -s 8 -n $LAT_ITERS
  ib_write_bw  -d rxe0|rxe1 -i 1 -x GID -F -s $MIB -n $BW_ITERS
  ib_read_bw   -d rxe0|rxe1 -i 1 -x GID -F -s $MIB -n $BW_ITERS
EOF
echo "rdma-vs-perftest: table and raw outputs saved in $OUT"
