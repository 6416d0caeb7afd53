package io.javelin.mpi.internal.collective;

import java.lang.foreign.MemorySegment;

/**
 * All-to-all by pairwise exchange: p - 1 steps; in step i rank r sends its block for rank r + i and
 * receives the block from rank r - i (with a power-of-two p, rank r XOR i both ways, so that pairs
 * exchange symmetrically). At most one send and one receive are in flight per rank, which keeps unexpected
 * messages and memory bounded for any p; every block moves once, between the users' buffers.
 */
public final class PairwiseAlltoall
{
    private PairwiseAlltoall()
    {
    }

    /**
     * @param channel       the communicator's collective channel.
     * @param send          the blocks for each rank.
     * @param sendLayout    where each rank's block lies in send.
     * @param receive       the blocks from each rank.
     * @param receiveLayout where each rank's block goes in receive.
     */
    public static void alltoall(final CollectiveChannel channel, final MemorySegment send, final BlockLayout sendLayout,
        final MemorySegment receive, final BlockLayout receiveLayout)
    {
        final int size = channel.size();
        final int rank = channel.rank();
        MemorySegment.copy(send, sendLayout.offset(rank), receive, receiveLayout.offset(rank),
            receiveLayout.length(rank));
        channel.algorithm("pairwise exchange", CollectiveTags.bit(CollectiveTags.ALLTOALL));
        final boolean powerOfTwo = Integer.bitCount(size) == 1;
        for (int i = 1; i < size; i++)
        {
            final int destination = powerOfTwo ? rank ^ i : (rank + i) % size;
            final int source = powerOfTwo ? rank ^ i : (rank - i + size) % size;
            channel.exchange(destination, channel.block(send, sendLayout, destination), source,
                channel.block(receive, receiveLayout, source), CollectiveTags.ALLTOALL);
        }
    }
}
