package io.javelin.benchmarks;

import io.javelin.mpi.Buf;
import io.javelin.mpi.Comm;
import io.javelin.mpi.Javelin;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintStream;

/**
 * Latency of many pairs at once by the method of OSU's {@code osu_multi_lat}: the job's N ranks form N/2
 * pairs, rank i with rank i + N/2; for each message size, after a barrier, every pair ping-pongs as
 * {@link OsuLatency} does, all pairs at the same time. The latency is the pairs' average one-way time,
 * each pair's total time / (2 x iterations), averaged over pairs, in microseconds.
 *
 * <p>Output (OSU layout, see {@link OsuReport}): columns {@code Size} and {@code Latency (us)} as OSU, then
 * {@code P50 (us)} and {@code P99 (us)} unless {@code --no-percentiles}: percentiles of the one-way time of
 * each pair (HdrHistogram), the highest of any pair, from a second pass of as many round trips that times each
 * one (the average comes from the first, which has no clock read inside, as OSU; see {@link PingPong}).
 *
 * <pre>
 * javelin bench multi_lat -n 4 --sizes 0:64k
 * </pre>
 */
public final class OsuMultiLatency
{
    private static final String NAME = "OsuMultiLatency";
    private static final SizeRange DEFAULT_SIZES = new SizeRange(0, 4 << 20);

    @Command(name = NAME, sortOptions = false,
        description = "OSU-style latency of N/2 pairs (rank i and i + N/2) ping-ponging at the same time, per size.")
    private static final class Options
    {
        @Mixin
        BenchmarkOptions common = new BenchmarkOptions();
    }

    private OsuMultiLatency()
    {
    }

    /**
     * Runs as one rank of a job (e.g. {@code javelin bench multi_lat}).
     *
     * @param args benchmark options and {@code --javelin.} settings.
     */
    public static void main(final String[] args)
    {
        BenchmarkMain.run(args, OsuMultiLatency::run);
    }

    /**
     * The benchmark, callable in-process: every rank of the job calls it; rank 0 prints the report.
     *
     * @param javelin this rank's handle; not closed here.
     * @param args    benchmark options ({@code --javelin.} ones are ignored).
     * @param out     where rank 0 prints.
     * @throws UsageException for bad options or a job of an odd number of ranks.
     */
    public static void run(final Javelin javelin, final String[] args, final PrintStream out)
    {
        final Comm world = javelin.world();
        final Options options = new Options();
        if (!BenchmarkCommandLine.parse(options, args, world.rank() == 0 ? out : null))
        {
            return;
        }
        requireEvenRanks(world);
        final int[] sizes = options.common.sizes(DEFAULT_SIZES).sizes();
        final IterationCounts counts = options.common.iterations(IterationCounts.LATENCY);
        final int pairs = world.size() / 2;
        final boolean initiator = world.rank() < pairs;
        final int peer = initiator ? world.rank() + pairs : world.rank() - pairs;

        final OsuReport report = OsuReport.forRank(javelin, out).percentiles(options.common.percentiles(), "us",
            "percentiles of the one-way time of each pair (HdrHistogram), the highest of any pair, from a second " +
            "pass that times each round trip");
        report.header("Javelin Multi Latency Test", javelin, options.common,
            "pairs: " + pairs + " (rank i with rank i + " + pairs + "), all at once",
            "Latency: average one-way time (round trip / 2) of a pair, averaged over pairs, as OSU");
        report.columns("Latency (us)");

        final PairBuffers buffers = PairBuffers.allocate(javelin, options.common.buffer(), sizes[sizes.length - 1]);
        final Histogram oneWayNs = Percentiles.newHistogram();
        // the average comes from OSU's uninstrumented pass; a second pass times each round trip for the percentiles
        final Histogram percentileHistogram = options.common.percentiles() ? oneWayNs : null;
        for (final int size : sizes)
        {
            final Buf send = buffers.send().view(size);
            final Buf receive = buffers.receive().view(size);
            final int iterations = counts.iterations(size);
            world.barrier();
            WarmUp.run(world, initiator ? n -> PingPong.initiate(world, peer, send, receive, n, percentileHistogram) :
                n -> PingPong.answer(world, peer, send, receive, n, options.common.percentiles()), counts.warmup(size),
                options.common.jitSettleMs());
            double latency = 0;
            Percentiles percentiles = new Percentiles(0, 0);
            if (initiator)
            {
                final long elapsedNs = PingPong.initiate(world, peer, send, receive, iterations, percentileHistogram);
                latency = OsuReport.microseconds(elapsedNs) / (2.0 * iterations);
                percentiles = Percentiles.microseconds(oneWayNs);
            }
            else
            {
                PingPong.answer(world, peer, send, receive, iterations, options.common.percentiles());
            }
            // answering ranks add nothing to the sum and 0 to the maximum
            final CollectiveLatency.Stats overRanks = CollectiveLatency.acrossRanks(world, latency, percentiles);
            report.row(size, overRanks.average() * world.size() / pairs, overRanks.percentiles());
        }
    }

    /**
     * @return true if a job of this many ranks forms pairs i, i + N/2 (an even number, at least 2).
     */
    static boolean pairsUp(final int ranks)
    {
        return ranks >= 2 && ranks % 2 == 0;
    }

    private static void requireEvenRanks(final Comm world)
    {
        if (!pairsUp(world.size()))
        {
            throw new UsageException(NAME + " needs an even number of ranks (pairs i, i + N/2) but this job has " +
                world.size() + ": start it with `javelin bench multi_lat -n 2` (or 4, 6, ...)", "");
        }
    }
}
