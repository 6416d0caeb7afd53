package io.javelin.benchmarks;

import io.javelin.mpi.Buf;
import io.javelin.mpi.Comm;
import io.javelin.mpi.Javelin;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintStream;

/**
 * Latency between ranks 0 and 1 by the method of OSU's {@code osu_latency}: for each message size, after a
 * barrier and some warm-up round trips, rank 0 sends and waits for the same size back, many times; the
 * latency is the average one-way time, total time / (2 x iterations), in microseconds, from a loop with no clock
 * read inside (as OSU; see {@link PingPong}).
 *
 * <p>Output (OSU layout, see {@link OsuReport}): columns {@code Size} and {@code Latency (us)} as OSU, then
 * {@code P50 (us)} and {@code P99 (us)}: percentiles of the one-way time (round trip / 2) of each iteration of
 * a second pass of as many round trips that times each one, from an HdrHistogram with 3 significant digits
 * ({@code --no-percentiles} leaves them and the second pass out).
 *
 * <pre>
 * javelin pingpong --sizes 0:64k --buffer heap
 * javelin run -n 2 -cp ... io.javelin.benchmarks.OsuLatency --sizes 0:4m --iterations 1000
 * </pre>
 */
public final class OsuLatency
{
    private static final String NAME = "OsuLatency";
    private static final SizeRange DEFAULT_SIZES = new SizeRange(0, 4 << 20);

    @Command(name = NAME, sortOptions = false,
        description = "OSU-style latency between ranks 0 and 1: average, P50 and P99 one-way time per size.")
    private static final class Options
    {
        @Mixin
        BenchmarkOptions common = new BenchmarkOptions();
    }

    private OsuLatency()
    {
    }

    /**
     * Runs as one rank of a job (e.g. {@code javelin pingpong}).
     *
     * @param args benchmark options and {@code --javelin.} settings.
     */
    public static void main(final String[] args)
    {
        BenchmarkMain.run(args, OsuLatency::run);
    }

    /**
     * The benchmark, callable in-process: every rank of the job calls it; rank 0 prints the report.
     *
     * @param javelin this rank's handle; not closed here.
     * @param args    benchmark options ({@code --javelin.} ones are ignored).
     * @param out     where rank 0 prints.
     * @throws UsageException for bad options or a job of one rank.
     */
    public static void run(final Javelin javelin, final String[] args, final PrintStream out)
    {
        final Comm world = javelin.world();
        final Options options = new Options();
        if (!BenchmarkCommandLine.parse(options, args, world.rank() == 0 ? out : null))
        {
            return;
        }
        RankPair.require(world, NAME);
        final int[] sizes = options.common.sizes(DEFAULT_SIZES).sizes();
        final IterationCounts counts = options.common.iterations(IterationCounts.LATENCY);

        final OsuReport report = OsuReport.forRank(javelin, out).percentiles(options.common.percentiles(), "us",
            "percentiles of the one-way time (HdrHistogram), from a second pass that times each round trip");
        report.header("Javelin Latency Test", javelin, options.common,
            "Latency: average one-way time (round trip / 2), as OSU (no clock read inside the timed loop)");
        report.columns("Latency (us)");

        final boolean member = RankPair.isMember(world);
        final PairBuffers buffers = member ?
            PairBuffers.allocate(javelin, options.common.buffer(), sizes[sizes.length - 1]) : null;
        final Histogram oneWayNs = Percentiles.newHistogram();
        // the average comes from OSU's uninstrumented pass; a second pass times each round trip for the percentiles
        final Histogram percentileHistogram = options.common.percentiles() ? oneWayNs : null;

        for (final int size : sizes)
        {
            world.barrier();
            final Buf send = member ? buffers.send().view(size) : null;
            final Buf receive = member ? buffers.receive().view(size) : null;
            final int iterations = counts.iterations(size);
            WarmUp.run(world, !member ? n -> { } : world.rank() == 0 ?
                n -> PingPong.initiate(world, 1, send, receive, n, percentileHistogram) :
                n -> PingPong.answer(world, 0, send, receive, n, options.common.percentiles()), counts.warmup(size),
                options.common.jitSettleMs());
            if (!member)
            {
                continue;
            }
            if (world.rank() == 0)
            {
                final long elapsedNs = PingPong.initiate(world, 1, send, receive, iterations, percentileHistogram);
                report.row(size, OsuReport.microseconds(elapsedNs) / (2.0 * iterations),
                    Percentiles.microseconds(oneWayNs));
            }
            else
            {
                PingPong.answer(world, 0, send, receive, iterations, options.common.percentiles());
            }
        }
    }
}
