package io.javelin.transport.local;

import io.javelin.transport.Endpoint;
import io.javelin.transport.Transport;
import io.javelin.transport.TransportContext;
import io.javelin.transport.TransportListener;
import io.javelin.transport.TransportStatus;
import io.javelin.jmh.HotPathBenchmark;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.UUID;

/**
 * Posting a two-sided send on the in-JVM transport and completing it: rank 0 posts header + payload to
 * rank 1, rank 1's progress delivers the message, rank 0's progress delivers the completion. Both
 * transports are driven by the benchmark thread, as one rank's thread drives its own.
 */
@State(Scope.Thread)
public class LocalTransportBenchmark extends HotPathBenchmark
{
    static final int HEADER_BYTES = 32;
    static final int PAYLOAD_BYTES = 64;

    private final Arena arena = Arena.ofShared();
    private final CountingListener senderEvents = new CountingListener();
    private final CountingListener receiverEvents = new CountingListener();
    private Transport sender;
    private Transport receiver;
    private Endpoint toReceiver;
    private MemorySegment header;
    private MemorySegment payload;
    private long cookie;

    /**
     * Opens two transports of one fabric and connects rank 0 to rank 1.
     */
    @Setup
    public void setUp()
    {
        final Map<String, String> settings =
            Map.of(LocalTransportConfiguration.FABRIC_PROP_NAME, "jmh-" + UUID.randomUUID());
        sender = new LocalTransport(new TransportContext(0, 2, 1234L, senderEvents, settings));
        receiver = new LocalTransport(new TransportContext(1, 2, 1234L, receiverEvents, settings));
        toReceiver = sender.connect(1, receiver.localAddress());
        receiver.connect(0, sender.localAddress());
        header = arena.allocate(HEADER_BYTES, 64);
        payload = arena.allocate(PAYLOAD_BYTES, 64);
    }

    /**
     * Closes both transports and frees the buffers.
     */
    @TearDown
    public void tearDown()
    {
        sender.close();
        receiver.close();
        arena.close();
    }

    /**
     * Posts one send and progresses both sides until it is delivered and completed.
     *
     * @return the number of messages delivered so far.
     */
    @Benchmark
    public long sendAndComplete()
    {
        final long expected = senderEvents.completions + 1;
        final int status = toReceiver.send(header, HEADER_BYTES, payload, 0, PAYLOAD_BYTES, ++cookie);
        if (status != TransportStatus.OK)
        {
            throw new IllegalStateException("send returned " + TransportStatus.name(status));
        }
        while (senderEvents.completions != expected)
        {
            receiver.progress();
            sender.progress();
        }
        return receiverEvents.messages;
    }

    /**
     * Counts events; allocates nothing.
     */
    static final class CountingListener implements TransportListener
    {
        long messages;
        long completions;
        long bytes;

        @Override
        public void onMessage(final Endpoint source, final MemorySegment buffer, final long offset, final int length)
        {
            messages++;
            bytes += length;
        }

        @Override
        public void onCompletion(final long cookie, final int status)
        {
            completions++;
        }

        @Override
        public void onPeerFailure(final Endpoint endpoint, final String reason)
        {
            // the benchmark's peers fail only when the trial closes them
        }
    }
}
