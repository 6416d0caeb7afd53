package io.javelin.benchmarks;

import io.javelin.mpi.Buf;
import io.javelin.mpi.Comm;
import io.javelin.mpi.Op;

/**
 * The timing method of OSU's collective latency tests ({@code osu_allreduce}, {@code osu_bcast},
 * {@code osu_barrier}): each rank times every call on its own, with a barrier after each call (not timed) so
 * that calls do not overlap; a rank's latency is its timed total / iterations; the report gives the average
 * of the ranks' latencies, and their minimum and maximum (OSU's {@code -f}), gathered with a reduce to rank 0.
 */
final class CollectiveLatency
{
    /**
     * osu_allreduce and osu_bcast: 1000 iterations (100 above 8 KiB), with warm-up raised from OSU's 200 (10)
     * so that the JIT has compiled the collective before timing starts (large sizes take other code paths:
     * rendezvous, the large algorithms).
     */
    static final IterationCounts COLLECTIVE = new IterationCounts(1_000, 2_000, 100, 500);

    private CollectiveLatency()
    {
    }

    /**
     * @param world the job.
     * @param name  the benchmark, for the message.
     * @throws UsageException if the job has fewer than 2 ranks.
     */
    static void requireRanks(final Comm world, final String name)
    {
        if (world.size() < 2)
        {
            throw new UsageException(name + " needs at least 2 ranks but this job has " + world.size() +
                ": start it with `javelin bench ... -n N` or `javelin run -n N ...`", "");
        }
    }

    /**
     * Calls the collective {@code warmup + iterations} times, each followed by a barrier.
     *
     * @return this rank's average time per timed call, in microseconds.
     */
    static double averageMicros(final Comm world, final Runnable collective, final int warmup,
        final int iterations)
    {
        long timedNs = 0;
        for (int i = 0; i < warmup + iterations; i++)
        {
            final long startNs = System.nanoTime();
            collective.run();
            final long elapsedNs = System.nanoTime() - startNs;
            if (i >= warmup)
            {
                timedNs += elapsedNs;
            }
            world.barrier();
        }
        return OsuReport.microseconds(timedNs) / iterations;
    }

    /**
     * @param world   the job.
     * @param latency this rank's latency.
     * @return at rank 0: average, minimum and maximum over the ranks; elsewhere undefined.
     */
    static double[] acrossRanks(final Comm world, final double latency)
    {
        final double[] mine = {latency};
        final double[] sum = new double[1];
        final double[] min = new double[1];
        final double[] max = new double[1];
        world.reduce(Buf.of(mine), Buf.of(sum), Op.SUM, 0);
        world.reduce(Buf.of(mine), Buf.of(min), Op.MIN, 0);
        world.reduce(Buf.of(mine), Buf.of(max), Op.MAX, 0);
        return new double[]{sum[0] / world.size(), min[0], max[0]};
    }
}
