package io.javelin.transport.tcp;

import io.javelin.transport.Endpoint;
import io.javelin.transport.MemoryRegion;
import io.javelin.transport.Transport;
import io.javelin.transport.TransportContext;
import io.javelin.transport.TransportListener;
import io.javelin.transport.TransportStatus;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Raw numbers of the TCP transport on loopback (a program, not a test): 8 B ping-pong latency (round trip
 * / 2) and 1 MiB bandwidth by two-sided sends and by one-sided reads. Each rank runs its own busy progress
 * loop, in two threads of this JVM ({@code threads}, the default) or in two JVMs ({@code processes}).
 * {@code -Dprobe.latencyOnly=true} skips the bandwidth runs; {@code -Djavelin.tcp.*} settings are passed on.
 *
 * <pre>
 * mvn -q -o -pl transport-tcp -am test-compile
 * CP=transport-tcp/target/classes:transport-tcp/target/test-classes:transport-api/target/classes
 * CP=$CP:$HOME/.m2/repository/org/agrona/agrona/2.4.0/agrona-2.4.0.jar
 * java -cp $CP io.javelin.transport.tcp.TcpPingPongProbe processes
 * </pre>
 */
public final class TcpPingPongProbe
{
    private static final long SECRET = 0x7E57_7E57_7E57_7E57L;
    private static final int PING_BYTES = 8;
    private static final int BULK_BYTES = 1 << 20;
    private static final int REGION_INFO_BYTES = 24;
    private static final int CONTROL_BYTES = 16;
    private static final long CONTROL_ACK = 1;
    private static final long CONTROL_STOP = 2;
    private static final int WARMUP_PINGS = 20_000;
    private static final int PINGS = 200_000;
    private static final int WINDOW = 16;
    private static final int BULK_COUNT = 2048;
    private static final int ROUNDS = 3;

    private TcpPingPongProbe()
    {
    }

    /**
     * @param args {@code threads} (default) or {@code processes}; {@code responder <hex address>} is the
     *             child process's role.
     * @throws Exception when the probe cannot run.
     */
    public static void main(final String[] args) throws Exception
    {
        final String mode = args.length > 0 ? args[0] : "threads";
        switch (mode)
        {
            case "threads" -> runThreads();
            case "processes" -> runProcesses();
            case "responder" -> runResponderProcess(HexFormat.of().parseHex(args[1]));
            default -> throw new IllegalArgumentException("usage: TcpPingPongProbe [threads|processes]");
        }
    }

    private static void runThreads() throws Exception
    {
        final Rank driver = new Rank(0);
        final Rank responder = new Rank(1);
        driver.connect(responder.transport.localAddress());
        responder.connect(driver.transport.localAddress());
        final Thread responderThread = new Thread(responder::respond, "responder");
        responderThread.start();
        driver.drive();
        responderThread.join();
        driver.close();
        responder.close();
    }

    private static void runProcesses() throws Exception
    {
        final Rank driver = new Rank(0);
        final String java = ProcessHandle.current().info().command().orElse("java");
        final List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
        javelinProperties().forEach((name, value) -> command.add("-D" + name + "=" + value));
        command.addAll(List.of(TcpPingPongProbe.class.getName(), "responder",
            HexFormat.of().formatHex(driver.transport.localAddress())));
        final Process child = new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
        try
        {
            final BufferedReader reader = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII));
            final String line = reader.readLine();
            if (null == line || !line.startsWith("ADDRESS "))
            {
                throw new IllegalStateException("responder process did not report its address: " + line);
            }
            driver.connect(HexFormat.of().parseHex(line.substring("ADDRESS ".length())));
            driver.drive();
            child.waitFor();
        }
        finally
        {
            child.destroyForcibly();
            driver.close();
        }
    }

    private static void runResponderProcess(final byte[] driverAddress)
    {
        final Rank responder = new Rank(1);
        responder.connect(driverAddress);
        System.out.println("ADDRESS " + HexFormat.of().formatHex(responder.transport.localAddress()));
        System.out.flush();
        responder.respond();
        responder.close();
    }

    /**
     * @return the {@code javelin.*} system properties, e.g. {@code -Djavelin.tcp.socket.send.buffer=0}.
     */
    private static Map<String, String> javelinProperties()
    {
        final Map<String, String> properties = new HashMap<>();
        System.getProperties().stringPropertyNames().stream()
            .filter(name -> name.startsWith("javelin."))
            .forEach(name -> properties.put(name, System.getProperty(name)));
        return properties;
    }

    /**
     * One rank: its transport, its listener and its busy progress loop.
     */
    private static final class Rank implements TransportListener
    {
        private final int rank;
        private final Arena arena = Arena.ofShared();
        private final Transport transport;
        private final MemorySegment empty = MemorySegment.ofArray(new byte[0]);
        private final MemorySegment ping;
        private final MemorySegment control;
        private final MemorySegment bulk;
        private final MemoryRegion bulkRegion;
        private Endpoint peer;
        private long messages;
        private long bulkMessages;
        private long completions;
        private long failedCompletions;
        private long lastControl;
        private long remoteAddress;
        private long remoteKey;
        private boolean stopped;

        Rank(final int rank)
        {
            this.rank = rank;
            transport = new TcpTransport(new TransportContext(rank, 2, SECRET, this, javelinProperties()));
            ping = arena.allocate(PING_BYTES);
            control = arena.allocate(REGION_INFO_BYTES);
            bulk = arena.allocate(BULK_BYTES);
            bulkRegion = transport.register(bulk, MemoryRegion.ALL_ACCESS);
        }

        void connect(final byte[] peerAddress)
        {
            peer = transport.connect(1 - rank, peerAddress);
        }

        void respond()
        {
            control.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, bulkRegion.address());
            control.set(ValueLayout.JAVA_LONG_UNALIGNED, 8, bulkRegion.remoteKey());
            post(peer.send(empty, 0, control, 0, REGION_INFO_BYTES, 0));
            while (!stopped)
            {
                transport.progress();
            }
        }

        void drive()
        {
            progressUntil(() -> 0 != remoteKey);
            final long[] samples = new long[PINGS];
            final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
            long allocatedBefore = 0;
            for (int i = 0; i < WARMUP_PINGS + PINGS; i++)
            {
                if (i == WARMUP_PINGS)
                {
                    allocatedBefore = threads.getCurrentThreadAllocatedBytes();
                }
                final long start = System.nanoTime();
                final long expected = messages + 1;
                post(peer.send(empty, 0, ping, 0, PING_BYTES, 0));
                while (messages != expected)
                {
                    transport.progress();
                }
                if (i >= WARMUP_PINGS)
                {
                    samples[i - WARMUP_PINGS] = System.nanoTime() - start;
                }
            }
            final long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
            Arrays.sort(samples);
            System.out.printf("8 B latency (round trip / 2): mean %.2f us, median %.2f us, p99 %.2f us; " +
                "%.1f bytes allocated per round trip by the driver thread%n",
                Arrays.stream(samples).average().orElse(0) / 2000.0, samples[PINGS / 2] / 2000.0,
                samples[PINGS * 99 / 100] / 2000.0, (double)allocated / PINGS);

            final int rounds = Boolean.getBoolean("probe.latencyOnly") ? 0 : ROUNDS;
            for (int round = 0; round < rounds; round++)
            {
                report("1 MiB send bandwidth", bandwidth(true));
            }
            for (int round = 0; round < rounds; round++)
            {
                report("1 MiB read bandwidth", bandwidth(false));
            }
            final long before = completions;
            stopped = true; // the responder closes once it has the stop: not a failure worth printing
            control.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, CONTROL_STOP);
            post(peer.send(empty, 0, control, 0, CONTROL_BYTES, 0));
            progressUntil(() -> completions > before);
            if (0 != failedCompletions)
            {
                System.out.println(failedCompletions + " operations failed");
            }
        }

        private long bandwidth(final boolean send)
        {
            final long start = System.nanoTime();
            final long base = completions;
            for (int posted = 0; posted < BULK_COUNT; posted++)
            {
                final long allowed = posted - WINDOW;
                progressUntil(() -> completions - base >= allowed);
                post(send ? peer.send(empty, 0, bulk, 0, BULK_BYTES, posted) :
                    peer.read(bulkRegion, 0, remoteAddress, remoteKey, BULK_BYTES, posted));
            }
            progressUntil(() -> completions - base == BULK_COUNT);
            if (send)
            {
                final long controls = lastControl;
                control.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, CONTROL_ACK);
                post(peer.send(empty, 0, control, 0, CONTROL_BYTES, 0));
                progressUntil(() -> lastControl != controls);
            }
            return System.nanoTime() - start;
        }

        private static void report(final String what, final long nanos)
        {
            final double bytes = (double)BULK_COUNT * BULK_BYTES;
            System.out.printf("%s: %.2f GB/s (%.2f GiB/s)%n", what, bytes / nanos,
                bytes / nanos * 1e9 / (1L << 30));
        }

        private void progressUntil(final java.util.function.BooleanSupplier condition)
        {
            while (!condition.getAsBoolean())
            {
                transport.progress();
            }
        }

        private static void post(final int status)
        {
            if (TransportStatus.OK != status)
            {
                throw new IllegalStateException("post failed: " + TransportStatus.name(status));
            }
        }

        @Override
        public void onMessage(final Endpoint source, final MemorySegment buffer, final long offset, final int length)
        {
            messages++;
            if (1 == rank)
            {
                switch (length)
                {
                    case PING_BYTES -> post(peer.send(empty, 0, ping, 0, PING_BYTES, 0));
                    case BULK_BYTES -> bulkMessages++;
                    case CONTROL_BYTES ->
                    {
                        if (CONTROL_STOP == buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offset))
                        {
                            stopped = true;
                        }
                        else
                        {
                            control.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, bulkMessages);
                            post(peer.send(empty, 0, control, 0, CONTROL_BYTES, 0));
                        }
                    }
                    default -> throw new IllegalStateException("unexpected message of " + length + " bytes");
                }
            }
            else if (REGION_INFO_BYTES == length)
            {
                remoteAddress = buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offset);
                remoteKey = buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + 8);
            }
            else if (CONTROL_BYTES == length)
            {
                lastControl = buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offset) + messages;
            }
        }

        @Override
        public void onCompletion(final long cookie, final int status)
        {
            completions++;
            if (TransportStatus.OK != status)
            {
                failedCompletions++;
            }
        }

        @Override
        public void onPeerFailure(final Endpoint endpoint, final String reason)
        {
            if (!stopped)
            {
                System.err.println("rank " + rank + ": " + reason);
            }
            stopped = true;
        }

        void close()
        {
            bulkRegion.close();
            transport.close();
            arena.close();
        }
    }
}
