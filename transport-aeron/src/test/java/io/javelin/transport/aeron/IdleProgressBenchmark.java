package io.javelin.transport.aeron;

import io.javelin.transport.Endpoint;
import io.javelin.transport.TransportContext;
import io.javelin.transport.TransportListener;

import java.lang.foreign.MemorySegment;
import java.util.Map;

/**
 * Program (not a test): the cost of one idle {@code progress()} call of a connected Aeron transport, which
 * every message's latency pays at least once on each side. Argument: the medium (auto, ipc, udp).
 *
 * <pre>
 * java $JVM_FLAGS -cp "$(./javelin classpath):transport-aeron/target/test-classes" \
 *     io.javelin.transport.aeron.IdleProgressBenchmark auto
 * </pre>
 *
 * Measured on the 2-core build machine: IPC about 95 ns per call when the driver ran on every 16th call,
 * about 15 ns (2026-12-07) since it runs at most every 10 us and the clock is read every 16th call; about 1 us
 * when the driver (and with it a UDP socket poll) ran on every call; UDP about 1 to 1.5 us.
 */
public final class IdleProgressBenchmark
{
    private IdleProgressBenchmark()
    {
    }

    public static void main(final String[] args)
    {
        final TransportListener listener = new TransportListener()
        {
            public void onMessage(final Endpoint source, final MemorySegment buffer, final long offset, final int n)
            {
            }

            public void onCompletion(final long cookie, final int status)
            {
            }

            public void onPeerFailure(final Endpoint endpoint, final String reason)
            {
            }
        };
        final Map<String, String> properties = Map.of(AeronConfiguration.MEDIA_PROP_NAME,
            args.length > 0 ? args[0] : "auto");
        try (AeronTransport first = new AeronTransport(new TransportContext(0, 2, 1, listener, properties));
            AeronTransport second = new AeronTransport(new TransportContext(1, 2, 1, listener, properties)))
        {
            final Endpoint endpoint = first.connect(1, second.localAddress());
            second.connect(0, first.localAddress());
            final MemorySegment header = MemorySegment.ofArray(new byte[16]);
            while (0 != endpoint.send(header, 16, header, 0, 0, 1))
            {
                first.progress();
                second.progress();
            }
            for (int round = 0; round < 5; round++)
            {
                final long calls = 2_000_000;
                final long startNs = System.nanoTime();
                for (long i = 0; i < calls; i++)
                {
                    first.progress();
                }
                System.out.printf("idle progress(): %.1f ns%n", (System.nanoTime() - startNs) / (double)calls);
            }
        }
    }
}
