package io.javelin.messaging;

import io.javelin.transport.MemoryRegion;
import io.javelin.transport.Transport;

import java.lang.foreign.MemorySegment;

/**
 * Keeps memory registrations for reuse, keyed by address range: registering pins pages and is expensive,
 * and applications send from the same buffers again and again.
 *
 * <p>Contracts:
 * <ul>
 *   <li>A lease covers the requested span with at least the requested access; release it when the
 *       operation completes. Leased entries are never evicted.</li>
 *   <li>Unleased entries are evicted least-recently-used first once more than {@code maxEntries} are cached
 *       or more than {@code maxBytes} are registered.</li>
 *   <li>GC-safe: an entry holds its segment strongly, so cached memory cannot be collected while
 *       registered; memory whose arena was closed is detected at lookup and its registration dropped, so a
 *       registration is never handed out for freed memory.</li>
 *   <li>Pinned registrations ({@link #pin}) stay until {@link #close()}.</li>
 *   <li>A hit allocates nothing when the span's offset in its registration is the one of the entry's previous
 *       hit (a buffer sent again): leases are immutable, so the entry hands out the same lease again.</li>
 * </ul>
 * Not thread-safe: used by the engine's thread.
 */
public final class RegistrationCache implements AutoCloseable
{
    private final Transport transport;
    private final int maxEntries;
    private final long maxBytes;
    private final RegistrationIndex entries = new RegistrationIndex();
    private long cachedBytes;
    private long tick;
    private long hits;
    private long misses;
    private long evictions;

    /**
     * A registered span lent to one operation.
     *
     * @param region the registration.
     * @param offset byte offset of the span within the region's segment.
     * @param entry  the cache entry, or null for a one-off registration closed at release.
     */
    public record Lease(MemoryRegion region, long offset, Entry entry)
    {
        /**
         * @return the address a peer names to reach the span.
         */
        public long remoteAddress()
        {
            return region.address() + offset;
        }
    }

    /**
     * One cached registration.
     */
    public static final class Entry
    {
        private final MemoryRegion region;
        private final long start;
        private final long end;
        private final boolean pinned;
        private int leases;
        private long lastUsed;
        /** The lease of the last hit, handed out again for a hit at the same offset. */
        private Lease lastLease;

        Entry(final MemoryRegion region, final boolean pinned)
        {
            this.region = region;
            this.start = region.segment().address();
            this.end = start + region.segment().byteSize();
            this.pinned = pinned;
        }
    }

    /**
     * @param transport  registers and owns the memory regions.
     * @param maxEntries most unleased registrations kept.
     * @param maxBytes   most bytes kept registered by unleased entries.
     */
    public RegistrationCache(final Transport transport, final int maxEntries, final long maxBytes)
    {
        this.transport = transport;
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    /**
     * Registers memory for the lifetime of the cache (memory from {@code Javelin.allocate}).
     *
     * @param segment native memory.
     * @param access  access flags.
     * @return the registration.
     */
    public MemoryRegion pin(final MemorySegment segment, final int access)
    {
        final MemoryRegion region = transport.register(segment, access);
        final Entry previous = entries.put(region.segment().address(), new Entry(region, true));
        if (null != previous)
        {
            dropEntry(previous);
        }
        return region;
    }

    /**
     * Forgets and deregisters a pinned registration.
     *
     * @param region a region returned by {@link #pin}.
     */
    public void unpin(final MemoryRegion region)
    {
        final Entry entry = entries.get(region.segment().address());
        if (null != entry && entry.region == region)
        {
            entries.remove(entry.start);
        }
        region.close();
    }

    /**
     * Finds or makes a registration covering a native span.
     *
     * @param segment native memory to cover exactly.
     * @param access  access flags needed.
     * @return a lease; give it back with {@link #release}.
     */
    public Lease acquire(final MemorySegment segment, final int access)
    {
        final long address = segment.address();
        final long end = address + segment.byteSize();
        final Entry entry = entries.floor(address);
        if (null != entry)
        {
            if (!entry.region.segment().scope().isAlive())
            {
                removeEntry(entry);
            }
            else if (entry.end >= end && (entry.region.accessFlags() & access) == access)
            {
                hits++;
                entry.leases++;
                entry.lastUsed = ++tick;
                final long offset = address - entry.start;
                Lease lease = entry.lastLease;
                if (null == lease || lease.offset() != offset)
                {
                    lease = new Lease(entry.region, offset, entry);
                    entry.lastLease = lease;
                }
                return lease;
            }
        }
        misses++;
        final MemoryRegion region = transport.register(segment, access);
        final Entry existing = entries.get(address);
        if (null != existing && existing.leases > 0)
        {
            return new Lease(region, 0, null);
        }
        if (null != existing)
        {
            removeEntry(existing);
        }
        final Entry added = new Entry(region, false);
        added.leases = 1;
        added.lastUsed = ++tick;
        added.lastLease = new Lease(region, 0, added);
        entries.put(address, added);
        cachedBytes += segment.byteSize();
        evictIfNeeded();
        return added.lastLease;
    }

    /**
     * Gives a lease back.
     *
     * @param lease from {@link #acquire}.
     */
    public void release(final Lease lease)
    {
        if (null == lease.entry)
        {
            lease.region.close();
            return;
        }
        lease.entry.leases--;
        evictIfNeeded();
    }

    /**
     * @return lookups served from the cache.
     */
    public long hits()
    {
        return hits;
    }

    /**
     * @return lookups that registered memory.
     */
    public long misses()
    {
        return misses;
    }

    /**
     * @return registrations dropped to stay within the limits.
     */
    public long evictions()
    {
        return evictions;
    }

    /**
     * @return registrations currently cached (pinned included).
     */
    public int size()
    {
        return entries.size();
    }

    /**
     * Deregisters everything.
     */
    @Override
    public void close()
    {
        for (int i = 0; i < entries.size(); i++)
        {
            dropEntry(entries.at(i));
        }
        entries.clear();
        cachedBytes = 0;
    }

    private void evictIfNeeded()
    {
        while (entries.size() > maxEntries || cachedBytes > maxBytes)
        {
            Entry victim = null;
            for (int i = 0; i < entries.size(); i++)
            {
                final Entry entry = entries.at(i);
                if (!entry.pinned && entry.leases == 0 && (null == victim || entry.lastUsed < victim.lastUsed))
                {
                    victim = entry;
                }
            }
            if (null == victim)
            {
                return;
            }
            evictions++;
            removeEntry(victim);
        }
    }

    private void removeEntry(final Entry entry)
    {
        entries.remove(entry.start);
        dropEntry(entry);
    }

    private void dropEntry(final Entry entry)
    {
        if (!entry.pinned)
        {
            cachedBytes -= entry.end - entry.start;
        }
        entry.region.close();
    }
}
