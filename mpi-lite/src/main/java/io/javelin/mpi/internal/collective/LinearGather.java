package io.javelin.mpi.internal.collective;

import io.javelin.messaging.ReceiveRequest;
import io.javelin.messaging.SendRequest;

import java.lang.foreign.MemorySegment;

/**
 * Gather and scatter (and their vector forms) straight between the root and every rank: the root posts
 * all p - 1 transfers at once, each block moves once, directly between the users' buffers. The root's link
 * carries everything, which is the least any algorithm can do for these collectives; a tree would only
 * save start-up latency for tiny blocks on many ranks.
 */
public final class LinearGather
{
    private LinearGather()
    {
    }

    /**
     * @param channel the communicator's collective channel.
     * @param send    this rank's block.
     * @param receive the root's buffer of blocks (ignored elsewhere).
     * @param layout  where each rank's block goes in receive (root only).
     * @param root    the root's rank.
     */
    public static void gather(final CollectiveChannel channel, final MemorySegment send, final MemorySegment receive,
        final BlockLayout layout, final int root)
    {
        final int size = channel.size();
        final int rank = channel.rank();
        channel.algorithm("linear", CollectiveTags.bit(CollectiveTags.GATHER));
        if (rank != root)
        {
            channel.send(root, CollectiveTags.GATHER, send);
            return;
        }
        final ReceiveRequest[] receives = channel.receiveSlots(size);
        for (int r = 0; r < size; r++)
        {
            if (r != root)
            {
                receives[r] = channel.postReceive(r, CollectiveTags.GATHER, channel.block(receive, layout, r));
            }
        }
        MemorySegment.copy(send, 0, receive, layout.offset(root), send.byteSize());
        for (int r = 0; r < size; r++)
        {
            if (r != root)
            {
                channel.complete(receives[r]);
                receives[r] = null;
            }
        }
    }

    /**
     * @param channel the communicator's collective channel.
     * @param send    the root's buffer of blocks (ignored elsewhere).
     * @param layout  where each rank's block lies in send (root only).
     * @param receive this rank's block.
     * @param root    the root's rank.
     */
    public static void scatter(final CollectiveChannel channel, final MemorySegment send, final BlockLayout layout,
        final MemorySegment receive, final int root)
    {
        final int size = channel.size();
        final int rank = channel.rank();
        channel.algorithm("linear", CollectiveTags.bit(CollectiveTags.SCATTER));
        if (rank != root)
        {
            channel.receive(root, CollectiveTags.SCATTER, receive);
            return;
        }
        final SendRequest[] sends = channel.sendSlots(size);
        for (int r = 0; r < size; r++)
        {
            if (r != root)
            {
                sends[r] = channel.postSend(r, CollectiveTags.SCATTER, channel.block(send, layout, r));
            }
        }
        MemorySegment.copy(send, layout.offset(root), receive, 0, receive.byteSize());
        for (int r = 0; r < size; r++)
        {
            if (r != root)
            {
                channel.complete(sends[r]);
                sends[r] = null;
            }
        }
    }
}
