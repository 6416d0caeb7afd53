package io.javelin.benchmarks;

import io.javelin.mpi.Buf;
import io.javelin.mpi.Comm;
import io.javelin.mpi.Javelin;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * Latency between ranks 0 and 1 by the method of OSU's {@code osu_latency}: for each message size, after a
 * barrier and some warm-up round trips, rank 0 sends and waits for the same size back, many times; the
 * latency is the average one-way time, total time / (2 x iterations), in microseconds.
 *
 * <p>Output (OSU layout, see {@link OsuReport}): columns {@code Size} and {@code Latency (us)} as OSU, then
 * {@code P50 (us)} and {@code P99 (us)}: percentiles of the one-way time (round trip / 2) of each timed
 * iteration, from an HdrHistogram with 3 significant digits.
 *
 * <pre>
 * javelin pingpong --sizes 0:64k --buffer heap
 * javelin run -n 2 -cp ... io.javelin.benchmarks.OsuLatency --sizes 0:4m --iterations 1000
 * </pre>
 */
public final class OsuLatency
{
    private static final String NAME = "OsuLatency";
    private static final int TAG = 1;
    private static final SizeRange DEFAULT_SIZES = new SizeRange(0, 4 << 20);
    /** One-way times above this are recorded as this; the average still counts them exactly. */
    private static final long HIGHEST_RECORDED_NS = TimeUnit.SECONDS.toNanos(10);

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

        final OsuReport report = OsuReport.forRank(javelin, out);
        report.header("Javelin Latency Test", javelin, options.common.buffer(),
            "Latency: average one-way time (round trip / 2), as OSU; P50, P99: percentiles of it (HdrHistogram)");
        report.columns("Latency (us)", "P50 (us)", "P99 (us)");

        final boolean member = RankPair.isMember(world);
        final PairBuffers buffers = member ?
            PairBuffers.allocate(javelin, options.common.buffer(), sizes[sizes.length - 1]) : null;
        final Histogram oneWayNs = new Histogram(HIGHEST_RECORDED_NS, 3);

        for (final int size : sizes)
        {
            world.barrier();
            if (!member)
            {
                continue;
            }
            final Buf send = buffers.send().view(size);
            final Buf receive = buffers.receive().view(size);
            final int warmup = counts.warmup(size);
            final int iterations = counts.iterations(size);
            if (world.rank() == 0)
            {
                oneWayNs.reset();
                final long elapsedNs = pingPong(world, send, receive, warmup, iterations, oneWayNs);
                report.row(size, OsuReport.microseconds(elapsedNs) / (2.0 * iterations),
                    OsuReport.microseconds(oneWayNs.getValueAtPercentile(50.0)),
                    OsuReport.microseconds(oneWayNs.getValueAtPercentile(99.0)));
            }
            else
            {
                pongPing(world, send, receive, warmup + iterations);
            }
        }
    }

    /**
     * Rank 0's side: send, then receive the answer.
     *
     * @return nanoseconds of the timed iterations.
     */
    private static long pingPong(final Comm world, final Buf send, final Buf receive, final int warmup,
        final int iterations, final Histogram oneWayNs)
    {
        long startNs = 0;
        for (int i = 0; i < warmup + iterations; i++)
        {
            final long beforeNs = System.nanoTime();
            if (i == warmup)
            {
                startNs = beforeNs;
            }
            world.send(send, 1, TAG);
            world.recv(receive, 1, TAG);
            if (i >= warmup)
            {
                oneWayNs.recordValue(Math.min((System.nanoTime() - beforeNs) / 2, HIGHEST_RECORDED_NS));
            }
        }
        return System.nanoTime() - startNs;
    }

    /**
     * Rank 1's side: receive, then answer with the same size.
     */
    private static void pongPing(final Comm world, final Buf send, final Buf receive, final int rounds)
    {
        for (int i = 0; i < rounds; i++)
        {
            world.recv(receive, 0, TAG);
            world.send(send, 0, TAG);
        }
    }
}
