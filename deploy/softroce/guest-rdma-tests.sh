#!/usr/bin/env bash
# The RDMA test run inside the soft-RoCE VM; run-rdma-tests.sh starts it through run-in-vm.sh (as root, in the
# checkout, with rxe0 = 198.18.0.1 and rxe1 = 198.18.0.2). In one boot:
#   1. JUnit, without Maven (SoftRoceTestRunner): the verbs device test, the crossing-connect test, the transport
#      conformance suite and the messaging tests (eager, rendezvous by RDMA READ and by WRITE_WITH_IMM);
#   2. rdma-vs-perftest.sh: javelin pingpong / bench bw --transport rdma (2 rank processes through the launcher)
#      and perftest side by side;
#   3. every javelin bench (latency ... barrier) over RDMA with tiny sizes, in one job: each OSU report is checked;
#   4. with JAVELIN_SOFTROCE_RING=1, the Ring example: 4 rank processes through the launcher, every pair connected.
# Ranks 0, 2, ... use rxe0 and ranks 1, 3, ... rxe1, so every message crosses the veth "wire".
# Exits non-zero at the first failing step; every step has a time limit.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
export JAVELIN_RDMA_ADDRESS=198.18.0.1,198.18.0.2
started=$(date +%s)
step()
{
    echo
    echo "==== softroce: $* (at $(( $(date +%s) - started )) s)"
}

ibv_devices
step "JVM start"
jvm_started=$(date +%s%N)
"$JAVA" -XX:+UseSerialGC -XX:-UsePerfData -version 2>&1 | sed -n 1p
echo "softroce: a JVM start (java -version) took $(( ($(date +%s%N) - jvm_started) / 1000000 )) ms in the VM"

step "JUnit: devices, connection set-up, transport conformance, messaging over RDMA"
module="$ROOT/transport-rdma"
timeout -k 10 "${JAVELIN_SOFTROCE_JUNIT_TIMEOUT:-1200}" "$JAVA" -XX:+UseSerialGC -XX:-UsePerfData \
    --enable-native-access=ALL-UNNAMED \
    --add-exports java.base/jdk.internal.misc=ALL-UNNAMED --add-opens java.base/jdk.internal.misc=ALL-UNNAMED \
    --sun-misc-unsafe-memory-access=allow \
    -cp "$module/target/test-classes:$module/target/classes:$(cat "$module/target/test-classpath.txt")" \
    io.javelin.transport.rdma.SoftRoceTestRunner \
    io.javelin.transport.rdma.verbs.RdmaDevicesTest \
    io.javelin.transport.rdma.RdmaConnectionSetupTest \
    io.javelin.transport.rdma.RdmaTransportConformanceTest \
    io.javelin.transport.rdma.RdmaMessagingTest

step "javelin pingpong / bench bw --transport rdma vs perftest"
bash "$ROOT/deploy/softroce/rdma-vs-perftest.sh"

step "every javelin bench over RDMA in one job (javelin bench all), 2 rank processes, OSU format (a format check)"
# one job for the ten benchmarks: under TCG a job start (three JVMs) costs more than the benchmarks' tiny sizes.
# --window 8 (bw and bibw alone take it): with 64 messages each way at once, windows over soft-RoCE under TCG
# take ~30 s each (known, under investigation: see deploy/softroce/README.md)
out=/tmp/bench-all.out
timeout -k 10 900 ./javelin bench all -n 2 --transport rdma --timeout 840 --sizes 4:16 \
    --iterations 2 --warmup 1 --window 8 > "$out" 2>&1 ||
    { cat "$out"; echo "softroce: javelin bench all failed"; exit 1; }
# each report: its title, OSU's column header, then one data line per size (barrier: one line without a size)
reports=$(awk '
    /^# Javelin .* Test$/ { if (title != "") print title "|" header "|" rows; title = $0; header = 0; rows = 0; next }
    /^# Size|^# Avg/ { header = 1; next }
    /^ *[0-9.]+ +[0-9]+\.[0-9][0-9]/ { rows++ }
    END { if (title != "") print title "|" header "|" rows }' "$out")
if [ "$(grep -c '|1|[1-9]' <<< "$reports")" != 10 ]; then
    cat "$out"
    echo "softroce: javelin bench all over RDMA did not print ten OSU reports (title|header|data lines):"
    echo "$reports"
    exit 1
fi
sed 's/^# Javelin \(.*\)|1|\([0-9]*\)$/softroce: \1 over RDMA: \2 data lines/' <<< "$reports"

if [ "${JAVELIN_SOFTROCE_RING:-0}" = 1 ]; then
    # 5 JVMs at once: ~100 s on an idle 2-core host, several minutes on a busy one, so not in the default run
    step "Ring example: 4 rank processes over RDMA through the launcher"
    timeout -k 10 600 ./javelin run -n 4 --transport rdma --timeout 540 -cp examples/target/classes \
        io.javelin.examples.Ring | tee /tmp/ring.out
    grep -q "the token came back as 6 after visiting 4 ranks" /tmp/ring.out
fi

step "all RDMA steps passed"
