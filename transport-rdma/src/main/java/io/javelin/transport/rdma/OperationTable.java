package io.javelin.transport.rdma;

import java.util.Arrays;

/**
 * Operations posted to send queues and not yet completed, kept in parallel primitive arrays indexed by a slot
 * number. The work request id carries the slot and its generation, {@code generation << 32 | slot}, so a
 * stale completion (of a slot freed and reused) is recognised and dropped. Grows by doubling (set-up cost only
 * while the high-water mark rises); no allocation per operation. Owner thread only.
 */
final class OperationTable
{
    static final byte KIND_SEND = 1;
    static final byte KIND_WRITE = 2;
    static final byte KIND_READ = 3;
    /** A credit update (RDMA write of a credit word): no user cookie. */
    static final byte KIND_CREDIT = 4;

    private long[] cookies = new long[256];
    private int[] peers = new int[256];
    private int[] buffers = new int[256];
    private int[] generations = new int[256];
    private byte[] kinds = new byte[256];
    private int[] free = new int[256];
    private int freeCount;
    private int used;
    private int inUse;

    /**
     * @return a free slot, now in use; its fields are to be set by the caller.
     */
    int acquire(final byte kind, final int peer, final long cookie, final int buffer)
    {
        final int slot;
        if (freeCount > 0)
        {
            slot = free[--freeCount];
        }
        else
        {
            if (used == kinds.length)
            {
                grow();
            }
            slot = used++;
        }
        kinds[slot] = kind;
        peers[slot] = peer;
        cookies[slot] = cookie;
        buffers[slot] = buffer;
        inUse++;
        return slot;
    }

    long wrId(final int slot)
    {
        return (long)generations[slot] << 32 | slot;
    }

    /**
     * @return the slot a work request id names, or -1 when the id is stale or was never issued.
     */
    int slotOf(final long wrId)
    {
        final int slot = (int)wrId;
        return slot >= 0 && slot < used && 0 != kinds[slot] && generations[slot] == (int)(wrId >>> 32) ? slot : -1;
    }

    void release(final int slot)
    {
        kinds[slot] = 0;
        generations[slot]++;
        free[freeCount++] = slot;
        inUse--;
    }

    byte kind(final int slot)
    {
        return kinds[slot];
    }

    int peer(final int slot)
    {
        return peers[slot];
    }

    long cookie(final int slot)
    {
        return cookies[slot];
    }

    int buffer(final int slot)
    {
        return buffers[slot];
    }

    int inUse()
    {
        return inUse;
    }

    /**
     * @return the highest slot number ever used plus one (for scanning at close).
     */
    int used()
    {
        return used;
    }

    private void grow()
    {
        final int capacity = 2 * kinds.length;
        cookies = Arrays.copyOf(cookies, capacity);
        peers = Arrays.copyOf(peers, capacity);
        buffers = Arrays.copyOf(buffers, capacity);
        generations = Arrays.copyOf(generations, capacity);
        kinds = Arrays.copyOf(kinds, capacity);
        free = Arrays.copyOf(free, capacity);
    }
}
