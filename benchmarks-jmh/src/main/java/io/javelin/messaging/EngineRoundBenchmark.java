package io.javelin.messaging;

import io.javelin.messaging.bootstrap.LocalExchange;
import io.javelin.jmh.HotPathBenchmark;
import io.javelin.transport.aeron.AeronConfiguration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * One whole message (eager, or rendezvous by one-sided read) through two {@link MessagingEngine}s on the
 * in-JVM transport: post, match, copy, complete, and the requests handed back to their engines. Both ranks'
 * engines are driven by the benchmark thread (each is used by one thread at a time, as its contract asks).
 */
@State(Scope.Thread)
public class EngineRoundBenchmark extends HotPathBenchmark
{
    static final int CONTEXT = 0;
    static final int TAG = 5;

    /** Payload bytes: 64 goes eagerly, 65536 by rendezvous (above the local transport's 16 KiB eager limit). */
    @Param({"64", "65536"})
    public int payloadBytes;

    /** {@code native}: memory from {@link MessagingEngine#allocate} (zero-copy); {@code heap}: byte arrays
     * (staged through registered bounce buffers above the eager limit). */
    @Param({"native", "heap"})
    public String memory = "native";

    /** {@code javelin.rendezvous}: {@code auto} reads (RGET) on this transport; {@code put} has the receiver
     * answer CTS and the sender write (RPUT). */
    @Param("auto")
    public String rendezvous = "auto";

    /** {@code local}: the in-JVM transport; {@code aeron}: Aeron IPC between two embedded drivers. */
    @Param({"local", "aeron"})
    public String transport = "local";

    private MessagingEngine sender;
    private MessagingEngine receiver;
    private MemorySegment payload;
    private MemorySegment target;

    /**
     * Starts a two-rank job in this JVM (rank 1 wires up on a helper thread) and allocates registered
     * buffers.
     */
    @Setup
    public void setUp()
    {
        final LocalExchange exchange = new LocalExchange(2, 30_000);
        final Map<String, String> settings = Map.of(Configuration.TRANSPORT_PROP_NAME, transport,
            Configuration.RENDEZVOUS_PROP_NAME, rendezvous, "javelin.local.fabric", "jmh-" + UUID.randomUUID(),
            // cross-memory attach keeps a confined arena, which rank 1's helper thread could not close
            AeronConfiguration.CMA_PROP_NAME, "off");
        final CompletableFuture<MessagingEngine> rankOne =
            CompletableFuture.supplyAsync(() -> MessagingEngine.start(exchange.bootstrap(1), settings));
        sender = MessagingEngine.start(exchange.bootstrap(0), settings);
        receiver = rankOne.join();
        final boolean heap = "heap".equals(memory);
        payload = heap ? MemorySegment.ofArray(new byte[payloadBytes]) : sender.allocate(payloadBytes);
        target = heap ? MemorySegment.ofArray(new byte[payloadBytes]) : receiver.allocate(payloadBytes);
    }

    /**
     * Closes both engines.
     */
    @TearDown
    public void tearDown()
    {
        sender.close();
        receiver.close();
    }

    /**
     * The receive is posted before the message arrives: the header matches it at once.
     *
     * @return bytes received.
     */
    @Benchmark
    public long receivePostedFirst()
    {
        final ReceiveRequest receive = receiver.postReceive(CONTEXT, 0, TAG, target);
        final SendRequest send = sender.postSend(CONTEXT, 1, TAG, payload);
        return complete(send, receive);
    }

    /**
     * The critical path of a blocking ping-pong's round trip over a transport that copies the payload at once
     * (Aeron IPC), both ranks on this thread: each way, the receive posted first, the send without a request
     * ({@link MessagingEngine#trySend}), the receiver polled until the message is in and its request handed
     * back. The time is two one-way legs of compute, without the transfer between cores.
     *
     * @return bytes received.
     */
    @Benchmark
    public long pingPong()
    {
        return leg(sender, receiver, 1, 0, payload, target) + leg(receiver, sender, 0, 1, target, payload);
    }

    private static long leg(final MessagingEngine from, final MessagingEngine to, final int toRank,
        final int fromRank, final MemorySegment message, final MemorySegment into)
    {
        final ReceiveRequest receive = to.postReceive(CONTEXT, fromRank, TAG, into);
        if (!from.trySend(CONTEXT, toRank, TAG, message))
        {
            final SendRequest send = from.postSend(CONTEXT, toRank, TAG, message);
            while (!send.isComplete())
            {
                from.progress();
                to.progress();
            }
            from.release(send);
        }
        while (!receive.isComplete())
        {
            to.progress();
        }
        final long bytes = receive.statusBytes();
        to.release(receive);
        return bytes;
    }

    /**
     * The message arrives first and waits in the unexpected queue until the receive is posted.
     *
     * @return bytes received.
     */
    @Benchmark
    public long messageArrivesFirst()
    {
        final SendRequest send = sender.postSend(CONTEXT, 1, TAG, payload);
        while (!receiver.probe(CONTEXT, 0, TAG))
        {
            receiver.progress();
            sender.progress();
        }
        final ReceiveRequest receive = receiver.postReceive(CONTEXT, 0, TAG, target);
        return complete(send, receive);
    }

    private long complete(final SendRequest send, final ReceiveRequest receive)
    {
        while (!send.isComplete() || !receive.isComplete())
        {
            receiver.progress();
            sender.progress();
        }
        if (send.error() != CompletionError.NONE || receive.error() != CompletionError.NONE)
        {
            throw new IllegalStateException("send: " + send.errorMessage() + ", receive: " + receive.errorMessage());
        }
        final long bytes = receive.statusBytes();
        sender.release(send);
        receiver.release(receive);
        return bytes;
    }
}
