package io.javelin.messaging;

import io.javelin.transport.Endpoint;
import io.javelin.transport.MemoryRegion;
import io.javelin.transport.Transport;
import io.javelin.transport.TransportContext;
import io.javelin.transport.TransportListener;
import io.javelin.transport.local.LocalTransportProvider;
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
 * A registration-cache hit: acquire a lease for memory registered before (among a few other cached
 * registrations), then release it, as a rendezvous send from a reused buffer does.
 */
@State(Scope.Thread)
public class RegistrationCacheBenchmark extends HotPathBenchmark
{
    static final int BUFFERS = 16;
    static final long BUFFER_BYTES = 1 << 16;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment[] buffers = new MemorySegment[BUFFERS];
    private Transport transport;
    private RegistrationCache cache;
    private MemorySegment whole;
    private MemorySegment slice;
    /** Where a request keeps its lease until completion (so the lease escapes, as in the engine). */
    private RegistrationCache.Lease held;

    /**
     * Opens a one-rank local transport and fills the cache.
     */
    @Setup
    public void setUp()
    {
        transport = new LocalTransportProvider().create(new TransportContext(0, 1, 1L, new IgnoringListener(),
            Map.of("javelin.local.fabric", "jmh-" + UUID.randomUUID())));
        cache = new RegistrationCache(transport, 1024, 1L << 30);
        for (int i = 0; i < BUFFERS; i++)
        {
            buffers[i] = arena.allocate(BUFFER_BYTES, 4096);
            cache.release(cache.acquire(buffers[i], MemoryRegion.ALL_ACCESS));
        }
        whole = buffers[BUFFERS / 2];
        slice = whole.asSlice(4096, 8192);
    }

    /**
     * Deregisters everything and frees the memory.
     */
    @TearDown
    public void tearDown()
    {
        cache.close();
        transport.close();
        arena.close();
    }

    /**
     * A hit on a whole cached buffer.
     *
     * @return the lease's remote address.
     */
    @Benchmark
    public long hitWholeBuffer()
    {
        final RegistrationCache.Lease lease = cache.acquire(whole, MemoryRegion.REMOTE_READ);
        final long address = lease.remoteAddress();
        cache.release(lease);
        return address;
    }

    /**
     * A hit on a span inside a cached buffer.
     *
     * @return the lease's remote address.
     */
    @Benchmark
    public long hitInnerSpan()
    {
        final RegistrationCache.Lease lease = cache.acquire(slice, MemoryRegion.REMOTE_READ);
        final long address = lease.remoteAddress();
        cache.release(lease);
        return address;
    }

    /**
     * A hit whose lease is kept until the operation completes, as a rendezvous request keeps it: the
     * lease escapes, so escape analysis cannot remove it.
     *
     * @return the lease's remote address.
     */
    @Benchmark
    public long hitHeldByRequest()
    {
        held = cache.acquire(whole, MemoryRegion.REMOTE_READ);
        final long address = held.remoteAddress();
        cache.release(held);
        return address;
    }

    /**
     * Ignores transport events: the benchmark only registers memory.
     */
    static final class IgnoringListener implements TransportListener
    {
        @Override
        public void onMessage(final Endpoint source, final MemorySegment buffer, final long offset, final int length)
        {
            // no messages: one rank
        }

        @Override
        public void onCompletion(final long cookie, final int status)
        {
            // nothing is posted
        }

        @Override
        public void onPeerFailure(final Endpoint endpoint, final String reason)
        {
            // no peers
        }
    }
}
