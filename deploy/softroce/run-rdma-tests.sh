#!/usr/bin/env bash
# Runs Javelin's RDMA tests on soft-RoCE inside the QEMU VM of run-in-vm.sh, in one boot: the verbs device
# test and the transport conformance suite with rank 0 on rxe0 and rank 1 on rxe1, so every message crosses the
# veth "wire". Needs root and a built checkout (./run-tests or mvn -B verify did that); exits non-zero with the
# guest's console when a test fails.
#
#   sudo deploy/softroce/run-rdma-tests.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
MODULE="$ROOT/transport-rdma"
if [ ! -f "$MODULE/target/test-classpath.txt" ] || [ ! -d "$MODULE/target/test-classes" ]; then
    echo "run-rdma-tests: transport-rdma is not built; run ./run-tests or mvn -B -pl transport-rdma -am verify" >&2
    exit 2
fi
case "$(cat "$MODULE/target/test-classpath.txt")" in
    /tmp/*|*:/tmp/*) echo "run-rdma-tests: the Maven repository is under /tmp, which the VM hides; use one elsewhere" >&2
        exit 2 ;;
esac

GUEST_SCRIPT="$MODULE/target/softroce-tests.sh"
cat > "$GUEST_SCRIPT" <<GUEST
set -e
cd "$MODULE"
export JAVELIN_RDMA_ADDRESS=198.18.0.1,198.18.0.2
ibv_devices
started=\$(date +%s%N)
"$JAVA_HOME/bin/java" -XX:+UseSerialGC -XX:-UsePerfData -version 2>&1 | head -1
echo "softroce: a JVM start (java -version) took \$(( (\$(date +%s%N) - started) / 1000000 )) ms in the VM"
"$JAVA_HOME/bin/java" -XX:+UseSerialGC -XX:-UsePerfData --enable-native-access=ALL-UNNAMED \\
    --add-exports java.base/jdk.internal.misc=ALL-UNNAMED --add-opens java.base/jdk.internal.misc=ALL-UNNAMED \\
    --sun-misc-unsafe-memory-access=allow \\
    -cp "target/test-classes:target/classes:\$(cat target/test-classpath.txt)" \\
    io.javelin.transport.rdma.SoftRoceTestRunner \\
    io.javelin.transport.rdma.verbs.RdmaDevicesTest \\
    io.javelin.transport.rdma.RdmaConnectionSetupTest \\
    io.javelin.transport.rdma.RdmaTransportConformanceTest
cd "$ROOT"
if [ -f launcher/target/javelin-launcher.jar ]; then
    # the messaging layer over RDMA in separate processes: 4 ranks, 2 per device, every pair connected
    timeout 300 ./javelin run -n 4 --transport rdma --timeout 240 -cp examples/target/classes \\
        io.javelin.examples.Ring | tee /tmp/ring.out
    grep -q "the token came back as 6 after visiting 4 ranks" /tmp/ring.out
else
    echo "softroce: launcher not built (mvn -B verify builds it): the Ring example over RDMA is skipped"
fi
GUEST
exec "$ROOT/deploy/softroce/run-in-vm.sh" --share "$ROOT" --timeout "${JAVELIN_SOFTROCE_TIMEOUT:-1500}" -- \
    bash "$GUEST_SCRIPT"
