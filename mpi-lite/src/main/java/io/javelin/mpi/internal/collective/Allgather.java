package io.javelin.mpi.internal.collective;

import java.lang.foreign.MemorySegment;

/**
 * Allgather: every rank gets every rank's block, in rank order.
 * <ul>
 *   <li>small totals: Bruck's algorithm, ceil(log2 p) steps for any p: in step k each rank sends the
 *       2^k blocks it has gathered so far (its own first) to rank - 2^k and appends those of rank + 2^k;
 *       a final local rotation puts the blocks in rank order;</li>
 *   <li>large totals, and the vector form: a ring, p - 1 steps, in step i rank r passes the block of rank
 *       r - i to rank r + 1; each block crosses each link once, straight into the users' buffers.</li>
 * </ul>
 */
public final class Allgather
{
    private Allgather()
    {
    }

    /**
     * @param channel the communicator's collective channel.
     * @param send    this rank's block.
     * @param receive p blocks of send's length.
     */
    public static void allgather(final CollectiveChannel channel, final MemorySegment send,
        final MemorySegment receive)
    {
        final int size = channel.size();
        if (receive.byteSize() >= channel.configuration().allgatherRingMinBytes() || size == 1)
        {
            final BlockLayout layout = channel.layout().equal(send.byteSize());
            MemorySegment.copy(send, 0, receive, layout.offset(channel.rank()), send.byteSize());
            channel.algorithm("ring", CollectiveTags.bit(CollectiveTags.ALLGATHER_RING));
            ring(channel, receive, layout, CollectiveTags.ALLGATHER_RING);
        }
        else
        {
            channel.algorithm("Bruck", CollectiveTags.bit(CollectiveTags.ALLGATHER));
            bruck(channel, send, receive);
        }
    }

    /**
     * @param channel the communicator's collective channel.
     * @param send    this rank's block.
     * @param receive the buffer of blocks.
     * @param layout  where each rank's block goes in receive.
     */
    public static void allgatherv(final CollectiveChannel channel, final MemorySegment send,
        final MemorySegment receive, final BlockLayout layout)
    {
        MemorySegment.copy(send, 0, receive, layout.offset(channel.rank()), send.byteSize());
        channel.algorithm("ring", CollectiveTags.bit(CollectiveTags.ALLGATHER_RING));
        ring(channel, receive, layout, CollectiveTags.ALLGATHER_RING);
    }

    /**
     * Ring allgather; this rank's own block is in place already.
     */
    static void ring(final CollectiveChannel channel, final MemorySegment buffer, final BlockLayout layout,
        final int tag)
    {
        final int size = channel.size();
        final int rank = channel.rank();
        final int right = (rank + 1) % size;
        final int left = (rank - 1 + size) % size;
        for (int i = 0; i < size - 1; i++)
        {
            final int sendBlock = (rank - i + size) % size;
            final int receiveBlock = (rank - i - 1 + size) % size;
            channel.exchange(right, channel.block(buffer, layout, sendBlock), left,
                channel.block(buffer, layout, receiveBlock), tag);
        }
    }

    private static void bruck(final CollectiveChannel channel, final MemorySegment send, final MemorySegment receive)
    {
        final int size = channel.size();
        final int rank = channel.rank();
        final long block = send.byteSize();
        // gathered[i] holds the block of rank (rank + i) mod p
        final MemorySegment gathered = channel.scratch(size * block);
        MemorySegment.copy(send, 0, gathered, 0, block);
        for (int have = 1; have < size; have <<= 1)
        {
            final int blocks = Math.min(have, size - have);
            channel.exchange((rank - have + size) % size, channel.slice(gathered, 0, blocks * block),
                (rank + have) % size, channel.slice(gathered, have * block, blocks * block), CollectiveTags.ALLGATHER);
        }
        final long head = (size - rank) * block;
        MemorySegment.copy(gathered, 0, receive, rank * block, head);
        MemorySegment.copy(gathered, head, receive, 0, rank * block);
    }
}
