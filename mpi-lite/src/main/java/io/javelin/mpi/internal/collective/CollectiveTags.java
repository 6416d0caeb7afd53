package io.javelin.mpi.internal.collective;

/**
 * Phases of the collective messages, one per collective and step kind, and the tags built from them.
 * Collectives of one communicator run in the same order on every rank, so each rank numbers them alike; a
 * message's tag carries that sequence number and its phase:
 * <pre>
 *   bit 31   30 ........................... 5   4 ...... 0
 *   +-----+----------------------------------+-----------+
 *   |  0  | collective sequence mod 2^26     |   phase   |
 *   +-----+----------------------------------+-----------+
 * </pre>
 * The sequence keeps a message of an earlier (failed) collective from matching a later one's receive; the
 * phase keeps ranks that run different algorithms from matching each other's messages, and tells the
 * {@link MismatchDetector} which algorithm a peer runs.
 */
final class CollectiveTags
{
    static final int BARRIER = 1;
    static final int BCAST = 2;
    static final int BCAST_SCATTER = 3;
    static final int BCAST_RING = 4;
    static final int REDUCE = 5;
    static final int ALLREDUCE = 6;
    static final int ALLREDUCE_FOLD = 7;
    static final int ALLREDUCE_SCATTER = 8;
    static final int ALLREDUCE_GATHER = 9;
    static final int REDUCE_SCATTER = 10;
    static final int SCAN = 11;
    static final int EXSCAN = 12;
    static final int GATHER = 13;
    static final int SCATTER = 14;
    static final int ALLGATHER = 15;
    static final int ALLTOALL = 16;
    static final int ALLGATHER_RING = 17;
    /** The highest phase of an algorithm. */
    static final int LAST_PHASE = ALLGATHER_RING;
    /** A 0-byte message a rank sends every other rank when it finds that the ranks' calls do not match. */
    static final int POISON = 31;

    static final int PHASE_BITS = 5;
    static final int PHASE_MASK = (1 << PHASE_BITS) - 1;
    static final int SEQUENCE_MASK = (1 << 26) - 1;

    private static final int HALF_SEQUENCE = 1 << 25;

    private CollectiveTags()
    {
    }

    /**
     * @param sequence the collective's number (any int: only its low 26 bits count).
     * @param phase    one of the phases above.
     * @return the tag of the collective's messages of that phase (non-negative).
     */
    static int tag(final int sequence, final int phase)
    {
        return (sequence & SEQUENCE_MASK) << PHASE_BITS | phase;
    }

    /**
     * @return the phase's bit in a set of phases ({@link CollectiveChannel#algorithm}).
     */
    static int bit(final int phase)
    {
        return 1 << phase;
    }

    static int phase(final int tag)
    {
        return tag & PHASE_MASK;
    }

    /**
     * Compares a message's collective with the current one, modulo 2^26: messages of up to 2^25 collectives
     * back count as older, up to 2^25 ahead as newer.
     *
     * @return negative if the tag belongs to an earlier collective, 0 to the current one, positive to a later.
     */
    static int compareSequence(final int tag, final int sequence)
    {
        final int ahead = ((tag >>> PHASE_BITS) - sequence) & SEQUENCE_MASK;
        return ahead == 0 ? 0 : ahead < HALF_SEQUENCE ? 1 : -1;
    }

    /**
     * @return the phase's name, for error messages.
     */
    static String name(final int phase)
    {
        return switch (phase)
        {
            case BARRIER -> "barrier";
            case BCAST -> "bcast (binomial tree)";
            case BCAST_SCATTER -> "bcast (scatter)";
            case BCAST_RING -> "bcast (ring allgather)";
            case REDUCE -> "reduce";
            case ALLREDUCE -> "allreduce (recursive doubling)";
            case ALLREDUCE_FOLD -> "allreduce (fold to a power of two)";
            case ALLREDUCE_SCATTER -> "allreduce (Rabenseifner reduce-scatter)";
            case ALLREDUCE_GATHER -> "allreduce (Rabenseifner allgather)";
            case REDUCE_SCATTER -> "reduceScatterBlock (ring)";
            case SCAN -> "scan";
            case EXSCAN -> "exscan";
            case GATHER -> "gather";
            case SCATTER -> "scatter";
            case ALLGATHER -> "allgather (Bruck)";
            case ALLGATHER_RING -> "allgather (ring)";
            case ALLTOALL -> "alltoall";
            case POISON -> "mismatch report";
            default -> "phase " + phase;
        };
    }
}
