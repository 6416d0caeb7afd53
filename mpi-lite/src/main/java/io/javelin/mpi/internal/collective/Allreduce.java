package io.javelin.mpi.internal.collective;

import io.javelin.mpi.ElementType;

import java.lang.foreign.MemorySegment;

/**
 * Allreduce, after Thakur, Rabenseifner and Gropp (2005):
 * <ul>
 *   <li>small vectors: recursive doubling, log2(p') exchanges of the whole vector;</li>
 *   <li>large vectors: Rabenseifner's algorithm, a reduce-scatter by recursive halving (each rank ends
 *       with the reduced values of one block) followed by an allgather by recursive doubling; every rank
 *       sends and receives about 2n bytes in total whatever p is. Exchanges are cut into segments that
 *       are reduced as they arrive ({@link PipelinedExchange}), and the last halving step hands each reduced
 *       segment straight back to its partner, so the allgather starts while the reduction goes on.</li>
 * </ul>
 * For a rank count p that is not a power of two, the first 2(p - p') ranks (p' the largest power of two
 * below p) fold first: each even one hands its vector to the odd one above it and sits out; at the end it
 * gets the result back.
 *
 * <p>Determinism: the order in which values are combined depends only on p and on the algorithm, and each
 * partial result is computed once and copied (or computed by two partners from the same two operands with
 * a commutative operation), so every rank gets the same bits, run after run (NaN payloads aside).
 */
public final class Allreduce
{
    private static final int RECURSIVE_DOUBLING_PHASES = CollectiveTags.bit(CollectiveTags.ALLREDUCE_FOLD) |
        CollectiveTags.bit(CollectiveTags.ALLREDUCE);
    private static final int RABENSEIFNER_PHASES = CollectiveTags.bit(CollectiveTags.ALLREDUCE_FOLD) |
        CollectiveTags.bit(CollectiveTags.ALLREDUCE_SCATTER) | CollectiveTags.bit(CollectiveTags.ALLREDUCE_GATHER);

    private Allreduce()
    {
    }

    /**
     * @param channel the communicator's collective channel.
     * @param send    this rank's vector.
     * @param receive where the result goes, as long as send (may be send itself).
     * @param op      the operation, valid for the type.
     * @param type    element type.
     */
    public static void allreduce(final CollectiveChannel channel, final MemorySegment send,
        final MemorySegment receive, final ReductionOp op, final ElementType type)
    {
        final int size = channel.size();
        if (size == 1)
        {
            MemorySegment.copy(send, 0, receive, 0, receive.byteSize());
            return;
        }
        final long count = receive.byteSize() / type.byteSize();
        final int powerOfTwo = Integer.highestOneBit(size);
        final boolean large = receive.byteSize() >= channel.allreduceLargeMinBytes() &&
            count >= powerOfTwo;
        channel.algorithm(large ? "Rabenseifner" : "recursive doubling",
            large ? RABENSEIFNER_PHASES : RECURSIVE_DOUBLING_PHASES);
        final MemorySegment incoming = channel.scratch(receive.byteSize());
        // the vector is read from send until the first reduction writes receive: no copy of send into receive
        final int newRank = fold(channel, send, receive, incoming, op, type, powerOfTwo);
        if (newRank >= 0)
        {
            final MemorySegment current = channel.rank() < 2 * (size - powerOfTwo) ? receive : send;
            if (large)
            {
                rabenseifner(channel, current, receive, incoming, op, type, newRank, powerOfTwo);
            }
            else
            {
                if (current != receive)
                {
                    MemorySegment.copy(send, 0, receive, 0, receive.byteSize());
                }
                recursiveDoubling(channel, receive, incoming, op, type, newRank, powerOfTwo);
            }
        }
        unfold(channel, receive, powerOfTwo);
    }

    /**
     * Reduces p to a power of two: among the first 2 * (p - p') ranks, even ones send their vector to the
     * next rank and drop out, odd ones combine it into their result ({@code vector = source op incoming}).
     *
     * @return this rank's rank among the p' remaining, or -1 if it dropped out.
     */
    private static int fold(final CollectiveChannel channel, final MemorySegment source, final MemorySegment vector,
        final MemorySegment incoming, final ReductionOp op, final ElementType type, final int powerOfTwo)
    {
        final int rank = channel.rank();
        final int extra = channel.size() - powerOfTwo;
        if (rank >= 2 * extra)
        {
            return rank - extra;
        }
        if (rank % 2 == 0)
        {
            channel.send(rank + 1, CollectiveTags.ALLREDUCE_FOLD, source);
            return -1;
        }
        channel.receive(rank - 1, CollectiveTags.ALLREDUCE_FOLD, incoming);
        channel.reduce(op, type, vector, source, incoming);
        return rank / 2;
    }

    private static void unfold(final CollectiveChannel channel, final MemorySegment vector, final int powerOfTwo)
    {
        final int rank = channel.rank();
        final int extra = channel.size() - powerOfTwo;
        if (rank < 2 * extra)
        {
            if (rank % 2 == 0)
            {
                channel.receive(rank + 1, CollectiveTags.ALLREDUCE_FOLD, vector);
            }
            else
            {
                channel.send(rank - 1, CollectiveTags.ALLREDUCE_FOLD, vector);
            }
        }
    }

    /**
     * @return the communicator rank of a rank among the p' that remain after the fold.
     */
    private static int realRank(final int newRank, final int extra)
    {
        return newRank < extra ? newRank * 2 + 1 : newRank + extra;
    }

    private static void recursiveDoubling(final CollectiveChannel channel, final MemorySegment vector,
        final MemorySegment incoming, final ReductionOp op, final ElementType type, final int newRank,
        final int powerOfTwo)
    {
        final int extra = channel.size() - powerOfTwo;
        for (int mask = 1; mask < powerOfTwo; mask <<= 1)
        {
            final int partner = realRank(newRank ^ mask, extra);
            PipelinedExchange.reduceExchange(channel, partner, CollectiveTags.ALLREDUCE, vector, vector, vector,
                incoming, op, type, true, 1, null, 0);
        }
    }

    /**
     * Reduce-scatter by recursive halving (block b of p' ends reduced at new rank b), then allgather by
     * recursive doubling. Blocks are whole elements, the first {@code count mod p'} one element longer.
     */
    private static void rabenseifner(final CollectiveChannel channel, final MemorySegment source,
        final MemorySegment vector, final MemorySegment incoming, final ReductionOp op, final ElementType type,
        final int newRank, final int powerOfTwo)
    {
        final int extra = channel.size() - powerOfTwo;
        final int segments = channel.configuration().segments();
        final int elementBytes = type.byteSize();
        final long count = vector.byteSize() / elementBytes;
        final long[] starts = new long[powerOfTwo + 1];
        for (int b = 0; b <= powerOfTwo; b++)
        {
            starts[b] = elementBytes * (b * (count / powerOfTwo) + Math.min(b, count % powerOfTwo));
        }
        // the first step reads this rank's values from source (the send buffer, unless a fold already
        // combined them into vector) and writes its reductions into vector; later steps work in vector
        MemorySegment from = source;
        for (int mask = powerOfTwo >> 1; mask > 0; mask >>= 1)
        {
            // this rank's window is the 2 * mask blocks starting at low; keep the half holding newRank
            final int partner = realRank(newRank ^ mask, extra);
            final int low = newRank & -(2 * mask);
            final int keep = (newRank & mask) == 0 ? low : low + mask;
            final int give = (newRank & mask) == 0 ? low + mask : low;
            final long keptStart = starts[keep];
            final long keptBytes = starts[keep + mask] - keptStart;
            final long givenStart = starts[give];
            final long givenBytes = starts[give + mask] - givenStart;
            // the last halving step and the first doubling step have the same partner and swap the same
            // blocks: each reduced segment goes back at once, so the allgather overlaps the reductions
            PipelinedExchange.reduceExchange(channel, partner, CollectiveTags.ALLREDUCE_SCATTER,
                channel.slice(from, givenStart, givenBytes), channel.slice(vector, keptStart, keptBytes),
                channel.slice(from, keptStart, keptBytes), incoming, op, type, false, segments,
                mask == 1 ? channel.slice(vector, givenStart, givenBytes) : null, CollectiveTags.ALLREDUCE_GATHER);
            from = vector;
        }
        for (int mask = 2; mask < powerOfTwo; mask <<= 1)
        {
            // this rank holds the mask blocks starting at mine; the partner holds the next or previous ones
            final int partnerNew = newRank ^ mask;
            final int mine = newRank & -mask;
            final int theirs = partnerNew & -mask;
            PipelinedExchange.exchange(channel, realRank(partnerNew, extra),
                CollectiveTags.ALLREDUCE_GATHER,
                channel.slice(vector, starts[mine], starts[mine + mask] - starts[mine]),
                channel.slice(vector, starts[theirs], starts[theirs + mask] - starts[theirs]), elementBytes, segments);
        }
    }
}
