package io.javelin.benchmarks;

import io.javelin.mpi.Buf;
import io.javelin.mpi.Comm;
import io.javelin.mpi.Javelin;
import io.javelin.mpi.Op;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;

/**
 * The timing method of OSU's collective latency tests ({@code osu_allreduce}, {@code osu_bcast},
 * {@code osu_barrier}): each rank times every call on its own, with a barrier after each call (not timed) so
 * that calls do not overlap; a rank's latency is its timed total / iterations; the report gives the average
 * of the ranks' latencies, and their minimum and maximum (OSU's {@code -f}), gathered with a reduce to rank 0;
 * Javelin adds the P50 and P99 of the time of one call (HdrHistogram), the highest of any rank.
 */
final class CollectiveLatency
{
    /**
     * OSU's collective tests: 1000 iterations (100 above 8 KiB), with warm-up raised from OSU's 200 (10)
     * so that the JIT has compiled the collective before timing starts (large sizes take other code paths:
     * rendezvous, the large algorithms).
     */
    static final IterationCounts COLLECTIVE = IterationCounts.COLLECTIVE;

    /** What the percentile columns of a collective benchmark are, for the report header. */
    private static final String PERCENTILES_NOTE =
        "percentiles of the time of one call (HdrHistogram), the highest of any rank";

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
     * @param world     the job.
     * @param blockSize the largest block, bytes.
     * @param name      the benchmark, for the message.
     * @return the bytes of one block per rank.
     * @throws UsageException if they do not fit in one buffer (2 GiB).
     */
    static int blocksBytes(final Comm world, final int blockSize, final String name)
    {
        final long bytes = (long)blockSize * world.size();
        if (bytes > Integer.MAX_VALUE)
        {
            throw new UsageException(name + " needs buffers of " + blockSize + " x " + world.size() +
                " bytes, more than 2 GiB: give a smaller --sizes MAX", "");
        }
        return (int)bytes;
    }

    /**
     * Prints, at rank 0, the header of a collective report: title, set-up, what the columns are, column names.
     *
     * @param javelin this rank's handle.
     * @param out     where rank 0 prints.
     * @param options the benchmark's common options (buffer kind, percentiles shown or not).
     * @param title   e.g. "Javelin Barrier Latency Test".
     * @param call    what one timed call is, e.g. "barrier" or "bcast from rank 0".
     * @param sized   false for a report without message sizes ({@code osu_barrier}).
     * @return the report, for its rows.
     */
    static OsuReport startReport(final Javelin javelin, final PrintStream out, final BenchmarkOptions options,
        final String title, final String call, final boolean sized)
    {
        final OsuReport report = OsuReport.forRank(javelin, out).percentiles(options.percentiles(), "us",
            PERCENTILES_NOTE);
        report.header(title, javelin, options,
            "Avg Latency: time of one " + call + ", per rank, averaged over ranks, as OSU; Min, Max: over ranks");
        report.collectiveColumns(sized);
        return report;
    }

    /**
     * Warms the collective up ({@link WarmUp}), then calls it {@code iterations} times, each followed by a barrier,
     * and gathers the ranks' results at rank 0. The warm-up runs the very loop that is timed (clock reads and
     * histogram included), so that the JIT has compiled that loop too, not only the collective, before the
     * timed iterations: compiling it during them cost a scheduler time slice of some milliseconds, which in
     * OSU's 1000 iterations tripled the average of small allreduces.
     *
     * @param world      the job; every rank calls this.
     * @param collective one call of the collective.
     * @param warmup     untimed calls first (a round of the warm-up).
     * @param iterations timed calls.
     * @param callNs     a histogram this rank may reuse; reset here, then gets the time of every timed call.
     * @param settleMs   the longest the warm-up may go on while the JIT compiles (0: one round).
     * @return at rank 0: the statistics over ranks; elsewhere undefined.
     */
    static Stats measure(final Comm world, final Runnable collective, final int warmup, final int iterations,
        final Histogram callNs, final long settleMs)
    {
        WarmUp.run(world, n -> timedCalls(world, collective, n, callNs), warmup, settleMs);
        final long timedNs = timedCalls(world, collective, iterations, callNs);
        return acrossRanks(world, OsuReport.microseconds(timedNs) / iterations, Percentiles.microseconds(callNs));
    }

    /**
     * @return the total time of n calls, each timed on its own (and recorded in callNs), each followed by a
     *         barrier that is not timed.
     */
    private static long timedCalls(final Comm world, final Runnable collective, final int n, final Histogram callNs)
    {
        callNs.reset(); // here, not in the caller: the warm-up rounds run it too
        long timedNs = 0;
        for (int i = 0; i < n; i++)
        {
            final long startNs = System.nanoTime();
            collective.run();
            final long elapsedNs = System.nanoTime() - startNs;
            timedNs += elapsedNs;
            Percentiles.record(callNs, elapsedNs);
            world.barrier();
        }
        return timedNs;
    }

    /**
     * @param world       the job; every rank calls this.
     * @param latency     this rank's average time of one call, in microseconds.
     * @param percentiles this rank's percentiles of the time of one call.
     * @return at rank 0: average, minimum and maximum of the ranks' latencies, and the highest P50 and P99 of
     *     any rank; elsewhere undefined.
     */
    static Stats acrossRanks(final Comm world, final double latency, final Percentiles percentiles)
    {
        final double[] sum = new double[1];
        final double[] min = new double[1];
        final double[] max = new double[3];
        world.reduce(Buf.of(new double[]{latency}), Buf.of(sum), Op.SUM, 0);
        world.reduce(Buf.of(new double[]{latency}), Buf.of(min), Op.MIN, 0);
        world.reduce(Buf.of(new double[]{latency, percentiles.p50(), percentiles.p99()}), Buf.of(max), Op.MAX, 0);
        return new Stats(sum[0] / world.size(), min[0], max[0], new Percentiles(max[1], max[2]));
    }

    /**
     * A collective's latency over the ranks of a job.
     *
     * @param average     the ranks' average time of one call, averaged over ranks (OSU's Avg Latency), us.
     * @param min         the lowest rank's average, us.
     * @param max         the highest rank's average, us.
     * @param percentiles the highest P50 and P99 of any rank, us.
     */
    record Stats(double average, double min, double max, Percentiles percentiles)
    {
        /**
         * Prints this as a report line: OSU's Avg, Min, Max and iterations, then the percentiles (if shown).
         *
         * @param report     where.
         * @param size       message bytes, or -1 for a report without sizes.
         * @param iterations timed calls.
         */
        void print(final OsuReport report, final int size, final int iterations)
        {
            report.collectiveRow(size, average, min, max, iterations, percentiles);
        }
    }
}
