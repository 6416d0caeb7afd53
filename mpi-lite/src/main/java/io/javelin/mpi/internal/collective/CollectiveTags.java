package io.javelin.mpi.internal.collective;

/**
 * Tags of the collective messages, one per collective and phase. Collectives of one communicator run in
 * the same order on every rank and messages from one sender on one context never overtake each other, so
 * tags need not tell calls apart; distinct tags keep a rank that called a different collective from
 * matching the wrong messages.
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

    private CollectiveTags()
    {
    }
}
