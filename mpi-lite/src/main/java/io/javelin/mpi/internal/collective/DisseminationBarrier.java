package io.javelin.mpi.internal.collective;

import java.lang.foreign.MemorySegment;

/**
 * Barrier by dissemination (Hensgen, Finkel and Manber): ceil(log2(size)) rounds; in round k each rank
 * signals rank + 2^k and waits for rank - 2^k. Works for any rank count; every rank learns in the last
 * round that all ranks have entered.
 */
public final class DisseminationBarrier
{
    private DisseminationBarrier()
    {
    }

    /**
     * @param channel the communicator's collective channel.
     */
    public static void barrier(final CollectiveChannel channel)
    {
        final int rank = channel.rank();
        final int size = channel.size();
        channel.algorithm("dissemination", CollectiveTags.bit(CollectiveTags.BARRIER));
        for (int distance = 1; distance < size; distance <<= 1)
        {
            channel.exchange((rank + distance) % size, MemorySegment.NULL, (rank - distance + size) % size,
                MemorySegment.NULL, CollectiveTags.BARRIER);
        }
    }
}
