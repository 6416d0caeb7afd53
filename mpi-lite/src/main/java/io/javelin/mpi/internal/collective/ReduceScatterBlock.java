package io.javelin.mpi.internal.collective;

import io.javelin.mpi.ElementType;

import java.lang.foreign.MemorySegment;

/**
 * Reduce-scatter with equal blocks: rank r gets block r of the element-wise reduction of every rank's
 * vector of p blocks.
 * <ul>
 *   <li>small vectors: an {@link Allreduce} of the whole vector into scratch memory, then a copy of the
 *       block (ceil(log2 p) steps instead of p - 1);</li>
 *   <li>large vectors: a ring: in step s, rank r passes the partial reduction of block r - s - 1 to rank
 *       r + 1 and adds its own contribution to block r - s - 2 from rank r - 1, so that after p - 1 steps it
 *       holds block r reduced; each rank sends and receives (p - 1) blocks.</li>
 * </ul>
 *
 * <p>Determinism: block b is always combined in the same order (ring: starting at rank b + 1), so the same
 * call gives the same bits run after run (NaN payloads aside).
 */
public final class ReduceScatterBlock
{
    private ReduceScatterBlock()
    {
    }

    /**
     * @param channel the communicator's collective channel.
     * @param send    this rank's vector: p blocks.
     * @param receive this rank's block of the result.
     * @param op      the operation, valid for the type.
     * @param type    element type.
     */
    public static void reduceScatter(final CollectiveChannel channel, final MemorySegment send,
        final MemorySegment receive, final ReductionOp op, final ElementType type)
    {
        final int size = channel.size();
        final int rank = channel.rank();
        final long block = receive.byteSize();
        if (size == 1 || send.byteSize() < channel.configuration().reduceScatterRingMinBytes())
        {
            final MemorySegment whole = channel.scratch(send.byteSize());
            Allreduce.allreduce(channel, send, whole, op, type);
            MemorySegment.copy(whole, rank * block, receive, 0, block);
            return;
        }
        channel.algorithm("ring", CollectiveTags.bit(CollectiveTags.REDUCE_SCATTER));
        final int right = (rank + 1) % size;
        final int left = (rank - 1 + size) % size;
        final MemorySegment evenPartial = channel.scratch(block);
        final MemorySegment oddPartial = channel.scratch(block);
        MemorySegment outgoing = channel.slice(send, ((rank - 1 + size) % size) * block, block);
        for (int step = 0; step < size - 1; step++)
        {
            final int incomingBlock = (rank - step - 2 + 2 * size) % size;
            final MemorySegment incoming = step == size - 2 ? receive : step % 2 == 0 ? evenPartial : oddPartial;
            channel.exchange(right, outgoing, left, incoming, CollectiveTags.REDUCE_SCATTER);
            channel.reduce(op, type, incoming, channel.slice(send, incomingBlock * block, block));
            outgoing = incoming;
        }
    }
}
