package io.javelin.mpi.internal.collective;

import io.javelin.messaging.SendRequest;

import java.lang.foreign.MemorySegment;

/**
 * Broadcast: a binomial tree for small messages (ceil(log2 p) steps, each rank receives the whole message
 * once); for large messages on enough ranks, van de Geijn's scatter + allgather: the root scatters p blocks
 * down a binomial tree, then a ring allgather reassembles the message everywhere, so that no link carries
 * the whole message more than about twice. Switch points: {@link CollectiveConfiguration}.
 *
 * <p>Ranks are taken relative to the root ({@code (rank - root) mod p}), so the root is relative rank 0.
 */
public final class Broadcast
{
    private Broadcast()
    {
    }

    /**
     * @param channel the communicator's collective channel.
     * @param buffer  the message at the root; where it lands elsewhere (same length on every rank).
     * @param root    the root's rank.
     */
    public static void bcast(final CollectiveChannel channel, final MemorySegment buffer, final int root)
    {
        final int size = channel.size();
        if (size == 1)
        {
            return;
        }
        final CollectiveConfiguration configuration = channel.configuration();
        if (buffer.byteSize() >= configuration.bcastScatterMinBytes() &&
            size >= configuration.bcastScatterMinRanks() && buffer.byteSize() >= size)
        {
            channel.algorithm("scatter + ring allgather", CollectiveTags.bit(CollectiveTags.BCAST_SCATTER) |
                CollectiveTags.bit(CollectiveTags.BCAST_RING));
            scatter(channel, buffer, root);
            Allgather.ring(channel, buffer, channel.layout().chunks(buffer.byteSize(), root),
                CollectiveTags.BCAST_RING);
        }
        else
        {
            channel.algorithm("binomial tree", CollectiveTags.bit(CollectiveTags.BCAST));
            binomial(channel, buffer, root);
        }
    }

    private static void binomial(final CollectiveChannel channel, final MemorySegment buffer, final int root)
    {
        final int size = channel.size();
        final int rank = channel.rank();
        final int relative = (rank - root + size) % size;
        int mask = 1;
        while (mask < size)
        {
            if ((relative & mask) != 0)
            {
                channel.receive((rank - mask + size) % size, CollectiveTags.BCAST, buffer);
                break;
            }
            mask <<= 1;
        }
        final SendRequest[] sends = channel.sendSlots(Integer.numberOfTrailingZeros(mask) + 1);
        int children = 0;
        for (mask >>= 1; mask > 0; mask >>= 1)
        {
            if (relative + mask < size)
            {
                sends[children++] = channel.postSend((rank + mask) % size, CollectiveTags.BCAST, buffer);
            }
        }
        awaitAll(channel, sends, children);
    }

    /**
     * Binomial scatter: relative rank r ends up with block r (and the blocks of its subtree).
     */
    private static void scatter(final CollectiveChannel channel, final MemorySegment buffer, final int root)
    {
        final int size = channel.size();
        final int rank = channel.rank();
        final int relative = (rank - root + size) % size;
        final long bytes = buffer.byteSize();
        final long block = blockBytes(bytes, size);
        int mask = 1;
        while (mask < size)
        {
            if ((relative & mask) != 0)
            {
                // this rank's subtree: relative ranks [relative, relative + mask)
                final long start = start(relative, block, bytes);
                final long end = start(Math.min(relative + mask, size), block, bytes);
                channel.receive((rank - mask + size) % size, CollectiveTags.BCAST_SCATTER,
                    channel.slice(buffer, start, end - start));
                break;
            }
            mask <<= 1;
        }
        final SendRequest[] sends = channel.sendSlots(Integer.numberOfTrailingZeros(mask) + 1);
        int children = 0;
        for (mask >>= 1; mask > 0; mask >>= 1)
        {
            if (relative + mask < size)
            {
                final long start = start(relative + mask, block, bytes);
                final long end = start(Math.min(relative + 2 * mask, size), block, bytes);
                sends[children++] = channel.postSend((rank + mask) % size, CollectiveTags.BCAST_SCATTER,
                    channel.slice(buffer, start, end - start));
            }
        }
        awaitAll(channel, sends, children);
    }

    private static void awaitAll(final CollectiveChannel channel, final SendRequest[] sends, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            channel.complete(sends[i]);
            sends[i] = null;
        }
    }

    private static long blockBytes(final long bytes, final int size)
    {
        return (bytes + size - 1) / size;
    }

    private static long start(final int block, final long blockBytes, final long bytes)
    {
        return Math.min(block * blockBytes, bytes);
    }
}
