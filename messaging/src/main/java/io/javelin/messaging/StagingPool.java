package io.javelin.messaging;

import io.javelin.transport.MemoryRegion;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

/**
 * Registered bounce buffers for heap arrays, which cannot be registered because the GC moves them.
 * Buffers come in power-of-two size classes, are registered once when first made and are reused; the pool
 * keeps at most {@code maxIdleBytes} of idle buffers. Each buffer has its own arena, so a buffer dropped
 * beyond that limit is deregistered and its memory freed at once. Idle buffers are kept as their leases
 * (immutable), so taking an idle buffer allocates nothing.
 *
 * <p>Not thread-safe: used by the engine's thread.
 */
final class StagingPool implements AutoCloseable
{
    private static final int MIN_CLASS = 12;
    private static final int CLASSES = 40;

    private final RegistrationCache cache;
    private final java.util.IdentityHashMap<MemoryRegion, Arena> arenas = new java.util.IdentityHashMap<>();
    private final java.util.List<ArrayDeque<RegistrationCache.Lease>> idle = new java.util.ArrayList<>(CLASSES);
    private final long maxIdleBytes;
    private long idleBytes;

    StagingPool(final RegistrationCache cache, final long maxIdleBytes)
    {
        this.cache = cache;
        this.maxIdleBytes = maxIdleBytes;
        for (int i = 0; i < CLASSES; i++)
        {
            idle.add(new ArrayDeque<>());
        }
    }

    /**
     * @param bytes at least this many bytes.
     * @return a registered buffer with every access, starting at offset 0 of the region.
     */
    RegistrationCache.Lease acquire(final long bytes)
    {
        final int sizeClass = sizeClass(bytes);
        final RegistrationCache.Lease idleLease = idle.get(sizeClass).pollFirst();
        if (null != idleLease)
        {
            idleBytes -= idleLease.region().segment().byteSize();
            return idleLease;
        }
        final Arena arena = Arena.ofShared();
        final MemoryRegion region;
        try
        {
            final MemorySegment segment = arena.allocate(1L << sizeClass, 4096);
            region = cache.pin(segment, MemoryRegion.ALL_ACCESS);
        }
        catch (final RuntimeException ex)
        {
            arena.close();
            throw ex;
        }
        arenas.put(region, arena);
        return new RegistrationCache.Lease(region, 0, null);
    }

    void release(final RegistrationCache.Lease lease)
    {
        final MemoryRegion region = lease.region();
        final long size = region.segment().byteSize();
        if (idleBytes + size > maxIdleBytes)
        {
            cache.unpin(region);
            arenas.remove(region).close();
            return;
        }
        final int sizeClass = sizeClass(size);
        idle.get(sizeClass).addFirst(lease);
        idleBytes += size;
    }

    /**
     * Frees every buffer; their registrations must already be gone (the cache deregisters pinned regions at
     * its close, which comes first).
     */
    @Override
    public void close()
    {
        arenas.values().forEach(Arena::close);
        arenas.clear();
    }

    /**
     * @return staging buffers currently allocated (idle or lent).
     */
    int allocatedBuffers()
    {
        return arenas.size();
    }

    private static int sizeClass(final long bytes)
    {
        final int bits = 64 - Long.numberOfLeadingZeros(Math.max(1, bytes - 1));
        return Math.max(MIN_CLASS, bits);
    }
}
