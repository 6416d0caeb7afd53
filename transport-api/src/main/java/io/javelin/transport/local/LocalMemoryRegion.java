package io.javelin.transport.local;

import io.javelin.transport.MemoryRegion;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Memory registered with a {@link LocalTransport}. Peers (other threads) copy into and out of it
 * directly, like an RDMA NIC: {@link #acquire()} pins the registration for one copy and {@link #close()}
 * waits until no copy is running, so memory freed after deregistration is never touched.
 *
 * <p>Copies go through {@link #view()}, an unscoped view of the same addresses, so that a segment
 * confined to its owner's thread can still be reached by peers (as registered memory is by hardware).
 * The memory must stay allocated until this region is closed.
 */
final class LocalMemoryRegion implements MemoryRegion
{
    private static final int CLOSED = 1 << 30;

    private final RegionTable table;
    private final MemorySegment segment;
    private final MemorySegment view;
    private final long key;
    private final int accessFlags;
    /** Copies in progress (low bits) plus {@link #CLOSED}. */
    private final AtomicInteger state = new AtomicInteger();

    // reinterpret is restricted: the view is only used inside acquire()/release(), which close() waits for,
    // and the SPI requires memory to stay allocated until its region is closed.
    @SuppressWarnings("restricted")
    LocalMemoryRegion(final RegionTable table, final MemorySegment segment, final long key, final int accessFlags)
    {
        this.table = table;
        this.segment = segment;
        this.view = MemorySegment.ofAddress(segment.address()).reinterpret(segment.byteSize());
        this.key = key;
        this.accessFlags = accessFlags;
    }

    @Override
    public MemorySegment segment()
    {
        return segment;
    }

    @Override
    public long address()
    {
        return segment.address();
    }

    @Override
    public long localKey()
    {
        return key;
    }

    @Override
    public long remoteKey()
    {
        return key;
    }

    @Override
    public int accessFlags()
    {
        return accessFlags;
    }

    /**
     * @return the same memory, reachable from any thread; use only between {@link #acquire()} and
     *         {@link #release()}, or from the owner's thread while not closed.
     */
    MemorySegment view()
    {
        return view;
    }

    /**
     * @return the transport table this region belongs to.
     */
    RegionTable table()
    {
        return table;
    }

    /**
     * Pins the registration for one copy; every successful call must be followed by {@link #release()}.
     *
     * @return false if the region is closed or its memory was freed.
     */
    boolean acquire()
    {
        while (true)
        {
            final int current = state.get();
            if ((current & CLOSED) != 0)
            {
                return false;
            }
            if (state.compareAndSet(current, current + 1))
            {
                if (segment.scope().isAlive())
                {
                    return true;
                }
                release();
                return false;
            }
        }
    }

    /**
     * Ends a copy started with {@link #acquire()}.
     */
    void release()
    {
        state.decrementAndGet();
    }

    /**
     * @return whether the region is closed.
     */
    boolean isClosed()
    {
        return (state.get() & CLOSED) != 0;
    }

    /**
     * @param flag           {@link #REMOTE_READ} or {@link #REMOTE_WRITE}.
     * @param remoteAddress  first byte a peer wants.
     * @param length         bytes, non-negative.
     * @return whether the region grants that access to all of [remoteAddress, remoteAddress + length).
     */
    boolean permits(final int flag, final long remoteAddress, final long length)
    {
        final long base = segment.address();
        if ((accessFlags & flag) == 0 || remoteAddress < base)
        {
            return false;
        }
        final long offset = remoteAddress - base;
        final long size = segment.byteSize();
        return offset <= size && length <= size - offset;
    }

    /**
     * Deregisters: new accesses are refused, and this call returns once copies in progress have finished.
     * Idempotent; callable from any thread.
     */
    @Override
    public void close()
    {
        int current;
        do
        {
            current = state.get();
            if ((current & CLOSED) != 0)
            {
                return;
            }
        }
        while (!state.compareAndSet(current, current | CLOSED));

        for (int spins = 0; state.get() != CLOSED; spins++)
        {
            if (spins < 1000)
            {
                Thread.onSpinWait();
            }
            else
            {
                Thread.yield();
            }
        }
        table.remove(this);
    }
}
