package io.javelin.mpi.internal;

/**
 * The lowest communicator id this rank has not used yet. Creating a communicator takes the maximum of
 * this value over the parent's ranks (agreed in the creating collective, without a central server), so
 * that the new id is above every id any member uses: two communicators that share a rank never share an
 * id, while disjoint groups (from one split) may, which is harmless because matching also names the
 * world source.
 *
 * <p>Not thread-safe: one per rank, used by the rank's thread.
 */
final class CommunicatorIds
{
    /** Ids above this would make contexts (2 * id + 1) overflow an int. */
    static final int MAX_ID = (1 << 30) - 1;

    private int next = 1;

    int next()
    {
        return next;
    }

    /**
     * @param agreed the id just agreed for a new communicator.
     */
    void taken(final int agreed)
    {
        if (agreed >= MAX_ID)
        {
            throw new io.javelin.mpi.JavelinException(io.javelin.mpi.ErrorClass.INTERNAL,
                "no communicator id left: " + MAX_ID + " communicators were created in this job");
        }
        next = Math.max(next, agreed + 1);
    }
}
