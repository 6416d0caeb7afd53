package io.javelin.transport.local;

import io.javelin.transport.Endpoint;
import io.javelin.transport.MemoryRegion;
import io.javelin.transport.Transport;
import io.javelin.transport.TransportContext;
import io.javelin.transport.TransportListener;
import io.javelin.transport.TransportStatus;
import io.javelin.transport.conformance.TestMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ranks as in {@code Javelin.runLocal}: each transport driven by its own thread.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalTransportThreadsTest
{
    private static final long SECRET = 7;
    private static final long WRITE_COOKIE = -1;
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(30);

    /** Thread-safe listener: counts and remembers the last message's first long. */
    private static final class CountingListener implements TransportListener
    {
        final AtomicInteger messages = new AtomicInteger();
        final AtomicLong lastValue = new AtomicLong(-1);
        final ConcurrentHashMap<Long, Integer> completions = new ConcurrentHashMap<>();
        final AtomicInteger duplicateCompletions = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();

        @Override
        public void onMessage(final Endpoint source, final MemorySegment buffer, final long offset, final int length)
        {
            lastValue.set(length >= Long.BYTES ? buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offset) : length);
            messages.incrementAndGet();
        }

        @Override
        public void onCompletion(final long cookie, final int status)
        {
            if (null != completions.putIfAbsent(cookie, status))
            {
                duplicateCompletions.incrementAndGet();
            }
        }

        @Override
        public void onPeerFailure(final Endpoint endpoint, final String reason)
        {
            failures.incrementAndGet();
        }
    }

    private final String fabric = "threads-" + UUID.randomUUID();

    private LocalTransport open(final int rank, final int size, final TransportListener listener)
    {
        return new LocalTransport(new TransportContext(rank, size, SECRET, listener,
            Map.of(LocalTransportConfiguration.FABRIC_PROP_NAME, fabric)));
    }

    @Test
    void shouldPingPongAndCopyMemoryBetweenRankThreads() throws Exception
    {
        final int roundTrips = 20_000;
        final CountingListener[] listeners = {new CountingListener(), new CountingListener()};
        final LocalTransport[] transports = {open(0, 2, listeners[0]), open(1, 2, listeners[1])};
        try (Arena arena = Arena.ofShared())
        {
            final MemorySegment target = arena.allocate(1 << 20);
            final MemoryRegion targetRegion = transports[0].register(target, MemoryRegion.ALL_ACCESS);
            final List<Thread> threads = new ArrayList<>();
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            for (int rank = 0; rank < 2; rank++)
            {
                final int me = rank;
                threads.add(Thread.ofPlatform().name("rank-" + rank).start(() -> runRank(me, transports[me],
                    transports[1 - me].localAddress(), listeners[me], roundTrips, targetRegion, failure)));
            }
            for (final Thread thread : threads)
            {
                thread.join(TimeUnit.SECONDS.toMillis(45));
                assertTrue(!thread.isAlive(), thread.getName() + " did not finish");
            }
            assertNull(failure.get(), () -> "a rank thread failed: " + failure.get());
            assertEquals(roundTrips, listeners[0].messages.get());
            assertEquals(roundTrips, listeners[1].messages.get());
            final MemorySegment expected = arena.allocate(1 << 20);
            TestMemory.fill(expected, 31);
            assertEquals(TestMemory.crc(expected), TestMemory.crc(target), "rank 1 wrote rank 0's region");
            targetRegion.close();
        }
        finally
        {
            transports[0].close();
            transports[1].close();
        }
    }

    /** Rank 0 pings with a counter, rank 1 pongs it back; then rank 1 writes 1 MiB into rank 0's region. */
    private static void runRank(final int rank, final Transport transport, final byte[] peerAddress,
        final CountingListener listener, final int roundTrips, final MemoryRegion rank0Region,
        final AtomicReference<Throwable> failure)
    {
        try
        {
            final Endpoint peer = transport.connect(1 - rank, peerAddress);
            final MemorySegment message = MemorySegment.ofArray(new byte[64]);
            for (long i = 0; i < roundTrips; i++)
            {
                final long expected = i;
                if (0 == rank)
                {
                    message.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, i);
                    post(transport, () -> peer.send(message, 8, message, 8, 56, expected));
                }
                awaitProgress(transport, () -> listener.messages.get() == expected + 1);
                if (listener.lastValue.get() != i)
                {
                    throw new AssertionError("rank " + rank + " got " + listener.lastValue.get() + ", wanted " + i);
                }
                if (1 == rank)
                {
                    message.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, i);
                    post(transport, () -> peer.send(message, 8, message, 8, 56, expected));
                }
            }
            if (1 == rank)
            {
                try (Arena arena = Arena.ofConfined())
                {
                    final MemorySegment source = arena.allocate(1 << 20);
                    TestMemory.fill(source, 31);
                    final MemoryRegion local = transport.register(source, MemoryRegion.ALL_ACCESS);
                    post(transport, () -> peer.write(local, 0, rank0Region.address(), rank0Region.remoteKey(),
                        1 << 20, WRITE_COOKIE));
                    awaitProgress(transport, () -> listener.completions.containsKey(WRITE_COOKIE));
                    if (TransportStatus.OK != listener.completions.get(WRITE_COOKIE))
                    {
                        throw new AssertionError("write completed " +
                            TransportStatus.name(listener.completions.get(WRITE_COOKIE)));
                    }
                    local.close();
                }
            }
            final int sends = 1 == rank ? roundTrips + 1 : roundTrips;
            awaitProgress(transport, () -> listener.completions.size() == sends);
            if (listener.duplicateCompletions.get() != 0 ||
                listener.completions.values().stream().anyMatch(status -> TransportStatus.OK != status))
            {
                throw new AssertionError("rank " + rank + " completions: " + listener.completions +
                    ", duplicates " + listener.duplicateCompletions.get());
            }
        }
        catch (final Throwable ex)
        {
            failure.compareAndSet(null, ex);
        }
    }

    @Test
    void shouldCompleteEverythingExactlyOnceWhenClosedFromAnotherThread() throws Exception
    {
        final CountingListener senderListener = new CountingListener();
        final LocalTransport sender = open(0, 2, senderListener);
        final LocalTransport receiver = open(1, 2, new CountingListener());
        final AtomicLong posted = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread owner = Thread.ofPlatform().name("owner").start(() ->
        {
            try
            {
                final Endpoint peer = sender.connect(1, receiver.localAddress());
                final MemorySegment bytes = MemorySegment.ofArray(new byte[128]);
                for (long cookie = 0; ; cookie++)
                {
                    final int status = peer.send(bytes, 8, bytes, 8, 120, cookie);
                    if (TransportStatus.CLOSED == status)
                    {
                        return;
                    }
                    if (TransportStatus.OK == status)
                    {
                        posted.incrementAndGet();
                    }
                    if (cookie % 16 == 0)
                    {
                        sender.progress();
                        receiver.progress();
                    }
                }
            }
            catch (final Throwable ex)
            {
                failure.set(ex);
            }
        });
        final long deadline = System.nanoTime() + DEADLINE_NS;
        while (posted.get() < 10_000 && System.nanoTime() < deadline)
        {
            Thread.onSpinWait();
        }
        sender.close();
        owner.join(TimeUnit.SECONDS.toMillis(30));
        receiver.close();

        assertTrue(!owner.isAlive(), "the owner thread must see CLOSED and stop");
        assertNull(failure.get(), () -> "the owner thread failed: " + failure.get());
        assertEquals(0, senderListener.duplicateCompletions.get(), "completions delivered twice");
        assertEquals(posted.get(), senderListener.completions.size(), "every accepted send completes once");
        assertTrue(senderListener.completions.containsValue(TransportStatus.OK));
    }

    @Test
    void shouldRefuseCopiesOnceARegionIsClosedWhilePeersAreCopying() throws Exception
    {
        final CountingListener writerListener = new CountingListener();
        final LocalTransport owner = open(0, 2, new CountingListener());
        final LocalTransport writer = open(1, 2, writerListener);
        final Arena ownerArena = Arena.ofShared();
        final MemoryRegion region = owner.register(ownerArena.allocate(1 << 20), MemoryRegion.ALL_ACCESS);
        final AtomicInteger refusedAfterClose = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final CountDownLatch writing = new CountDownLatch(1);
        final AtomicBoolean closedRegion = new AtomicBoolean();
        final Thread writerThread = Thread.ofPlatform().name("writer").start(() ->
        {
            try (Arena arena = Arena.ofConfined())
            {
                final Endpoint peer = writer.connect(0, owner.localAddress());
                final MemoryRegion local = writer.register(arena.allocate(1 << 20), MemoryRegion.ALL_ACCESS);
                for (long cookie = 0; refusedAfterClose.get() < 100; cookie++)
                {
                    final boolean wasClosed = closedRegion.get();
                    final long id = cookie;
                    post(writer, () -> peer.write(local, 0, region.address(), region.remoteKey(), 1 << 20, id));
                    awaitProgress(writer, () -> writerListener.completions.containsKey(id));
                    writing.countDown();
                    final int status = writerListener.completions.get(id);
                    if (wasClosed && TransportStatus.REMOTE_ACCESS_ERROR != status)
                    {
                        throw new AssertionError("write after deregistration completed " +
                            TransportStatus.name(status));
                    }
                    if (wasClosed)
                    {
                        refusedAfterClose.incrementAndGet();
                    }
                }
                local.close();
            }
            catch (final Throwable ex)
            {
                failure.set(ex);
            }
        });
        assertTrue(writing.await(30, TimeUnit.SECONDS), "the writer never wrote");
        region.close();
        closedRegion.set(true);
        ownerArena.close();
        writerThread.join(TimeUnit.SECONDS.toMillis(30));
        owner.close();
        writer.close();

        assertTrue(!writerThread.isAlive(), "writer did not finish");
        assertNull(failure.get(), () -> "the writer failed: " + failure.get());
        assertEquals(100, refusedAfterClose.get());
    }

    private static void post(final Transport transport, final IntSupplier post)
    {
        final long deadline = System.nanoTime() + DEADLINE_NS;
        int status;
        while (TransportStatus.BACK_PRESSURED == (status = post.getAsInt()))
        {
            transport.progress();
            checkDeadline(deadline, "a post was back-pressured");
        }
        if (TransportStatus.OK != status)
        {
            throw new AssertionError("post returned " + TransportStatus.name(status));
        }
    }

    private static void awaitProgress(final Transport transport, final BooleanSupplier condition)
    {
        final long deadline = System.nanoTime() + DEADLINE_NS;
        for (int idle = 0; !condition.getAsBoolean(); )
        {
            idle = transport.progress() > 0 ? 0 : idle + 1;
            if (idle > 100)
            {
                Thread.yield();
            }
            checkDeadline(deadline, "a condition did not hold");
        }
    }

    private static void checkDeadline(final long deadline, final String what)
    {
        if (System.nanoTime() - deadline > 0)
        {
            throw new AssertionError(what + " within " + TimeUnit.NANOSECONDS.toSeconds(DEADLINE_NS) + " s");
        }
    }
}
