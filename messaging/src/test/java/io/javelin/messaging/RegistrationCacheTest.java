package io.javelin.messaging;

import io.javelin.transport.Endpoint;
import io.javelin.transport.MemoryRegion;
import io.javelin.transport.Transport;
import io.javelin.transport.TransportContext;
import io.javelin.transport.TransportListener;
import io.javelin.transport.tcp.TcpTransportProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

class RegistrationCacheTest
{
    private Transport transport;
    private final Arena arena = Arena.ofShared();

    @BeforeEach
    void setUp()
    {
        final TransportListener ignore = new TransportListener()
        {
            @Override
            public void onMessage(final Endpoint source, final MemorySegment buffer, final long offset,
                final int length)
            {
            }

            @Override
            public void onCompletion(final long cookie, final int status)
            {
            }

            @Override
            public void onPeerFailure(final Endpoint endpoint, final String reason)
            {
            }
        };
        transport = new TcpTransportProvider().create(new TransportContext(0, 1, 1L, ignore, Map.of()));
    }

    @AfterEach
    void tearDown()
    {
        transport.close();
        arena.close();
    }

    @Test
    void shouldHitForASpanInsideACachedRegistration()
    {
        final RegistrationCache cache = new RegistrationCache(transport, 8, 1 << 30);
        final MemorySegment memory = arena.allocate(1 << 20);
        final RegistrationCache.Lease whole = cache.acquire(memory, MemoryRegion.REMOTE_READ);
        cache.release(whole);
        final RegistrationCache.Lease part = cache.acquire(memory.asSlice(4096, 8192), MemoryRegion.REMOTE_READ);
        assertSame(whole.region(), part.region());
        assertEquals(4096, part.offset());
        assertEquals(whole.region().address() + 4096, part.remoteAddress());
        assertEquals(1, cache.hits());
        assertEquals(1, cache.misses());
        cache.release(part);
        cache.close();
    }

    @Test
    void shouldEvictTheLeastRecentlyUsedUnleasedEntry()
    {
        final RegistrationCache cache = new RegistrationCache(transport, 2, 1 << 30);
        final MemorySegment a = arena.allocate(4096);
        final MemorySegment b = arena.allocate(4096);
        final MemorySegment c = arena.allocate(4096);
        final RegistrationCache.Lease leaseA = cache.acquire(a, MemoryRegion.REMOTE_READ);
        cache.release(leaseA);
        cache.release(cache.acquire(b, MemoryRegion.REMOTE_READ));
        cache.release(cache.acquire(a, MemoryRegion.REMOTE_READ));
        cache.release(cache.acquire(c, MemoryRegion.REMOTE_READ));
        assertEquals(1, cache.evictions(), "b was least recently used");
        assertEquals(2, cache.size());
        final RegistrationCache.Lease again = cache.acquire(a, MemoryRegion.REMOTE_READ);
        assertSame(leaseA.region(), again.region());
        cache.release(again);
        cache.close();
    }

    @Test
    void shouldNotHandOutARegistrationForMemoryWhoseArenaWasClosed()
    {
        final RegistrationCache cache = new RegistrationCache(transport, 8, 1 << 30);
        final Arena shortLived = Arena.ofConfined();
        final MemorySegment memory = shortLived.allocate(4096);
        final long address = memory.address();
        final RegistrationCache.Lease first = cache.acquire(memory, MemoryRegion.REMOTE_READ);
        cache.release(first);
        shortLived.close();
        final MemorySegment reused = MemorySegment.ofAddress(address).reinterpret(4096, arena, null);
        final RegistrationCache.Lease second = cache.acquire(reused, MemoryRegion.REMOTE_READ);
        assertNotSame(first.region(), second.region());
        assertEquals(2, cache.misses());
        cache.release(second);
        cache.close();
    }

    @Test
    void shouldFreeStagingBuffersDroppedBeyondTheIdleLimit()
    {
        final RegistrationCache cache = new RegistrationCache(transport, 8, 1 << 30);
        final StagingPool pool = new StagingPool(cache, 8 << 20);
        final java.util.List<RegistrationCache.Lease> leases = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++)
        {
            leases.add(pool.acquire(4 << 20));
        }
        assertEquals(6, pool.allocatedBuffers());
        leases.forEach(pool::release);
        assertEquals(2, pool.allocatedBuffers(), "only 8 MiB of idle 4 MiB buffers are kept");
        final RegistrationCache.Lease reused = pool.acquire(3 << 20);
        assertEquals(2, pool.allocatedBuffers(), "an idle buffer of the size class is reused");
        pool.release(reused);
        cache.close();
        pool.close();
        assertEquals(0, pool.allocatedBuffers());
    }

    @Test
    void shouldHandOutTheSameLeaseForRepeatedHitsAtOneOffset()
    {
        final RegistrationCache cache = new RegistrationCache(transport, 8, 1 << 30);
        final MemorySegment memory = arena.allocate(1 << 16, 4096);
        final RegistrationCache.Lease first = cache.acquire(memory, MemoryRegion.REMOTE_READ);
        final RegistrationCache.Lease second = cache.acquire(memory, MemoryRegion.REMOTE_READ);
        assertSame(first, second);
        final RegistrationCache.Lease inner = cache.acquire(memory.asSlice(256, 512), MemoryRegion.REMOTE_READ);
        assertNotSame(first, inner);
        assertEquals(256, inner.offset());
        assertEquals(first.remoteAddress() + 256, inner.remoteAddress());
        final RegistrationCache.Lease whole = cache.acquire(memory, MemoryRegion.REMOTE_READ);
        assertEquals(0, whole.offset());
        assertSame(first.region(), whole.region());
        cache.release(first);
        cache.release(second);
        cache.release(inner);
        cache.release(whole);
        assertEquals(3, cache.hits());
        assertEquals(1, cache.misses());
        assertEquals(1, cache.size());
        cache.close();
    }
}
