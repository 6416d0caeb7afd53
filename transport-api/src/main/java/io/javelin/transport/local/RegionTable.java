package io.javelin.transport.local;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One transport's registered regions, looked up by remote key from any thread.
 *
 * <p>A key is {@code (random non-zero tag << 32) | slot}: lookup is an array read plus a compare, with no
 * allocation or lock, and a key that outlived its region (the slot was reused under a new tag) or was
 * guessed fails the compare. Registration and removal are rare and synchronized.
 */
final class RegionTable
{
    private volatile AtomicReferenceArray<LocalMemoryRegion> slots = new AtomicReferenceArray<>(16);
    private int[] freeSlots = new int[16];
    private int freeCount;
    private int used;

    /**
     * @param segment     native memory.
     * @param accessFlags access granted.
     * @return the new, published region.
     */
    synchronized LocalMemoryRegion add(final MemorySegment segment, final int accessFlags)
    {
        final int slot;
        if (freeCount > 0)
        {
            slot = freeSlots[--freeCount];
        }
        else
        {
            if (used == slots.length())
            {
                grow();
            }
            slot = used++;
        }
        final long tag = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        final LocalMemoryRegion region = new LocalMemoryRegion(this, segment, (tag << 32) | slot, accessFlags);
        slots.set(slot, region);
        return region;
    }

    /**
     * @param key a remote key from a peer.
     * @return the region with that key, or null; the caller must still {@link LocalMemoryRegion#acquire()} it.
     */
    LocalMemoryRegion lookup(final long key)
    {
        final AtomicReferenceArray<LocalMemoryRegion> current = slots;
        final long slot = key & 0xFFFF_FFFFL;
        if (slot >= current.length())
        {
            return null;
        }
        final LocalMemoryRegion region = current.get((int)slot);
        return null != region && region.remoteKey() == key ? region : null;
    }

    /**
     * @param region a closed region of this table.
     */
    synchronized void remove(final LocalMemoryRegion region)
    {
        final int slot = (int)(region.remoteKey() & 0xFFFF_FFFFL);
        if (slots.get(slot) == region)
        {
            slots.set(slot, null);
            if (freeCount == freeSlots.length)
            {
                freeSlots = Arrays.copyOf(freeSlots, freeSlots.length << 1);
            }
            freeSlots[freeCount++] = slot;
        }
    }

    /**
     * Closes every region still registered.
     */
    void closeAll()
    {
        final List<LocalMemoryRegion> open = new ArrayList<>();
        synchronized (this)
        {
            final AtomicReferenceArray<LocalMemoryRegion> current = slots;
            for (int i = 0; i < current.length(); i++)
            {
                final LocalMemoryRegion region = current.get(i);
                if (null != region)
                {
                    open.add(region);
                }
            }
        }
        open.forEach(LocalMemoryRegion::close);
    }

    private void grow()
    {
        final AtomicReferenceArray<LocalMemoryRegion> current = slots;
        final AtomicReferenceArray<LocalMemoryRegion> larger = new AtomicReferenceArray<>(current.length() << 1);
        for (int i = 0; i < current.length(); i++)
        {
            larger.set(i, current.get(i));
        }
        slots = larger;
    }
}
