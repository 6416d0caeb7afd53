package io.javelin.mpi.internal.collective;

import io.javelin.mpi.ElementType;

import java.lang.foreign.MemorySegment;

/**
 * Inclusive and exclusive prefix reductions by recursive doubling (as MPICH): in step k each rank
 * exchanges with rank XOR 2^k the reduction of the 2^k ranks ending at its own block of ranks; a rank
 * combines what comes from below into its result. ceil(log2 p) steps for any p.
 *
 * <p>Determinism: each rank's combination order depends only on p, so the same call gives the same bits run
 * after run (NaN payloads aside).
 */
public final class PrefixScan
{
    private PrefixScan()
    {
    }

    /**
     * Inclusive scan: rank r gets the reduction of the vectors of ranks 0..r.
     *
     * @param channel the communicator's collective channel.
     * @param send    this rank's vector.
     * @param receive the result, as long as send (may be send itself).
     * @param op      the operation, valid for the type.
     * @param type    element type.
     */
    public static void scan(final CollectiveChannel channel, final MemorySegment send, final MemorySegment receive,
        final ReductionOp op, final ElementType type)
    {
        prefix(channel, send, receive, op, type, true);
    }

    /**
     * Exclusive scan: rank r > 0 gets the reduction of the vectors of ranks 0..r-1; rank 0's receive is left
     * as it was.
     *
     * @param channel the communicator's collective channel.
     * @param send    this rank's vector.
     * @param receive the result, as long as send (may be send itself).
     * @param op      the operation, valid for the type.
     * @param type    element type.
     */
    public static void exscan(final CollectiveChannel channel, final MemorySegment send, final MemorySegment receive,
        final ReductionOp op, final ElementType type)
    {
        prefix(channel, send, receive, op, type, false);
    }

    private static void prefix(final CollectiveChannel channel, final MemorySegment send,
        final MemorySegment receive, final ReductionOp op, final ElementType type, final boolean inclusive)
    {
        final int size = channel.size();
        final int rank = channel.rank();
        final long bytes = send.byteSize();
        final int tag = inclusive ? CollectiveTags.SCAN : CollectiveTags.EXSCAN;
        channel.algorithm("recursive doubling", CollectiveTags.bit(tag));
        final MemorySegment partial = channel.scratch(bytes);
        MemorySegment.copy(send, 0, partial, 0, bytes);
        if (inclusive)
        {
            MemorySegment.copy(send, 0, receive, 0, bytes);
        }
        final MemorySegment incoming = size > 1 ? channel.scratch(bytes) : null;
        boolean haveResult = inclusive;
        for (int mask = 1; mask < size; mask <<= 1)
        {
            final int partner = rank ^ mask;
            if (partner >= size)
            {
                continue;
            }
            channel.exchange(partner, partial, partner, incoming, tag);
            channel.reduce(op, type, partial, incoming);
            if (partner < rank)
            {
                if (haveResult)
                {
                    channel.reduce(op, type, receive, incoming);
                }
                else
                {
                    MemorySegment.copy(incoming, 0, receive, 0, bytes);
                    haveResult = true;
                }
            }
        }
    }
}
