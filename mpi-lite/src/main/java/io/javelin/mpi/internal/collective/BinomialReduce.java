package io.javelin.mpi.internal.collective;

import io.javelin.mpi.ElementType;

import java.lang.foreign.MemorySegment;

/**
 * Reduce to a root along a binomial tree over ranks relative to the root: in step k, relative rank r with
 * bit k set sends its partial result to r - 2^k and leaves; the others combine what r + 2^k sends. The root
 * receives ceil(log2 p) vectors.
 *
 * <p>Determinism: the combination order depends only on p and the root, so the same call gives the same
 * bits run after run (NaN payloads aside).
 */
public final class BinomialReduce
{
    private BinomialReduce()
    {
    }

    /**
     * @param channel the communicator's collective channel.
     * @param send    this rank's vector.
     * @param receive where the result goes at the root, as long as send (may be send itself); ignored elsewhere.
     * @param op      the operation, valid for the type.
     * @param type    element type.
     * @param root    the root's rank.
     */
    public static void reduce(final CollectiveChannel channel, final MemorySegment send, final MemorySegment receive,
        final ReductionOp op, final ElementType type, final int root)
    {
        final int size = channel.size();
        final int rank = channel.rank();
        final long bytes = send.byteSize();
        final MemorySegment partial = rank == root ? receive : channel.scratch(bytes);
        MemorySegment.copy(send, 0, partial, 0, bytes);
        channel.algorithm("binomial tree", CollectiveTags.bit(CollectiveTags.REDUCE));
        final int relative = (rank - root + size) % size;
        MemorySegment incoming = null;
        for (int mask = 1; mask < size; mask <<= 1)
        {
            if ((relative & mask) != 0)
            {
                channel.send((rank - mask + size) % size, CollectiveTags.REDUCE, partial);
                return;
            }
            if (relative + mask < size)
            {
                if (null == incoming)
                {
                    incoming = channel.scratch(bytes);
                }
                channel.receive((rank + mask) % size, CollectiveTags.REDUCE, incoming);
                channel.reduce(op, type, partial, incoming);
            }
        }
    }
}
