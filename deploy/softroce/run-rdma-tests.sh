#!/usr/bin/env bash
# Runs Javelin's RDMA tests on soft-RoCE inside the QEMU VM of run-in-vm.sh, in one boot (guest-rdma-tests.sh):
# the verbs device test, the crossing-connect test, the transport conformance suite and the messaging tests
# (eager, RGET, RPUT) with rank 0 on rxe0 and rank 1 on rxe1, so every message crosses the veth "wire"; the Ring
# example with 4 rank processes; javelin pingpong and bench bw over RDMA next to perftest (ratios in a table,
# saved as transport-rdma/target/softroce/rdma-vs-perftest.txt). ./run-tests runs this by default.
# Needs root and a built checkout (./run-tests or mvn -B verify did that; the launcher is brought up to date
# here); exits non-zero with the guest's console when a step fails.
#
#   sudo deploy/softroce/run-rdma-tests.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
MODULE="$ROOT/transport-rdma"
if [ ! -f "$MODULE/target/test-classpath.txt" ] || [ ! -d "$MODULE/target/test-classes" ]; then
    echo "run-rdma-tests: transport-rdma is not built; run ./run-tests or mvn -B -pl transport-rdma -am verify" >&2
    exit 2
fi
case "$(cat "$MODULE/target/test-classpath.txt")" in
    /tmp/*|*:/tmp/*) echo "run-rdma-tests: the Maven repository is under /tmp, which the VM hides; use one elsewhere" >&2
        exit 2 ;;
esac
# The guest runs ./javelin (Ring, pingpong, bench): build the launcher here, where it takes seconds, not in the VM.
"$ROOT/javelin" classpath > /dev/null

started=$(date +%s)
set +e
"$ROOT/deploy/softroce/run-in-vm.sh" --share "$ROOT" --timeout "${JAVELIN_SOFTROCE_TIMEOUT:-2400}" -- \
    bash deploy/softroce/guest-rdma-tests.sh
status=$?
set -e
results="${JAVELIN_SOFTROCE_WORK:-/var/cache/javelin-softroce}/results"
if [ -f "$results/rdma-vs-perftest.txt" ]; then
    rm -rf "$MODULE/target/softroce"
    mkdir -p "$MODULE/target/softroce"
    cp "$results"/*.txt "$MODULE/target/softroce/" 2>/dev/null || true
    echo "run-rdma-tests: Javelin vs perftest (also in transport-rdma/target/softroce/rdma-vs-perftest.txt):" >&2
    cat "$results/rdma-vs-perftest.txt" >&2
fi
echo "run-rdma-tests: $([ "$status" = 0 ] && echo passed || echo "FAILED (exit $status)") after" \
    "$(( $(date +%s) - started )) s" >&2
exit "$status"
