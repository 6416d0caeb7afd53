package io.javelin.benchmarks;

import io.javelin.mpi.Comm;

/**
 * The two ranks a point-to-point benchmark measures between, 0 and 1, as in OSU; further ranks only take
 * part in the barriers between message sizes.
 */
final class RankPair
{
    private RankPair()
    {
    }

    /**
     * @param world   the job.
     * @param name  the benchmark, for the message.
     * @throws UsageException if the job has fewer than 2 ranks.
     */
    static void require(final Comm world, final String name)
    {
        if (world.size() < 2)
        {
            throw new UsageException(name + " needs 2 ranks (0 and 1 measure, others wait) but this job has " +
                world.size() + ": start it with `javelin run -n 2 ...` or `javelin bench`", "");
        }
    }

    /**
     * @param world the job.
     * @return true at ranks 0 and 1.
     */
    static boolean isMember(final Comm world)
    {
        return world.rank() < 2;
    }

    /**
     * @param world the job, at rank 0 or 1.
     * @return the other rank of the pair.
     */
    static int peer(final Comm world)
    {
        return 1 - world.rank();
    }
}
