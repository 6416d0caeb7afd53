package io.javelin.benchmarks;

import io.javelin.mpi.Buf;
import io.javelin.mpi.Comm;
import io.javelin.mpi.Javelin;
import io.javelin.mpi.Request;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintStream;

/**
 * Bi-directional bandwidth between ranks 0 and 1 by the method of OSU's {@code osu_bibw}: for each message
 * size, after a barrier, both ranks post a window of non-blocking receives (64 by default), then a window of
 * non-blocking sends to each other, and wait for all; repeated after some warm-up windows. Bandwidth is the
 * bytes sent both ways / time, in MB/s with 1 MB = 10^6 bytes, as rank 0 sees it.
 *
 * <p>Output (OSU layout, see {@link OsuReport}): columns {@code Size} and {@code Bandwidth (MB/s)} as OSU, then
 * {@code P50 (MB/s)} and {@code P99 (MB/s)} unless {@code --no-percentiles}: the bandwidth of the median and of
 * the 99th-percentile (slow) window (see {@link Percentiles}).
 *
 * <pre>
 * javelin bench bibw --sizes 1:4m
 * </pre>
 */
public final class OsuBiBandwidth
{
    private static final String NAME = "OsuBiBandwidth";
    private static final int DATA_TAG = 100;
    private static final SizeRange DEFAULT_SIZES = new SizeRange(1, 4 << 20);

    @Command(name = NAME, sortOptions = false,
        description = "OSU-style bi-directional bandwidth between ranks 0 and 1, a window each way, per size.")
    private static final class Options
    {
        @Mixin
        BenchmarkOptions common = new BenchmarkOptions();

        @Mixin
        WindowOption window = new WindowOption();
    }

    private OsuBiBandwidth()
    {
    }

    /**
     * Runs as one rank of a job (e.g. {@code javelin bench bibw}).
     *
     * @param args benchmark options and {@code --javelin.} settings.
     */
    public static void main(final String[] args)
    {
        BenchmarkMain.run(args, OsuBiBandwidth::run);
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
        final IterationCounts counts = options.common.iterations(IterationCounts.BANDWIDTH);
        final int window = options.window.window();

        final OsuReport report = OsuReport.forRank(javelin, out).percentiles(options.common.percentiles(), "MB/s",
            "bandwidth of the median and of the 99th-percentile (slow) window (HdrHistogram)");
        report.header("Javelin Bi-Directional Bandwidth Test", javelin, options.common,
            "window: " + window + " messages each way between ranks 0 and 1; MB = 10^6 B");
        report.columns("Bandwidth (MB/s)");

        final boolean member = RankPair.isMember(world);
        final PairBuffers buffers = member ?
            PairBuffers.allocate(javelin, options.common.buffer(), sizes[sizes.length - 1]) : null;
        final Request[] sends = new Request[window];
        final Request[] receives = new Request[window];
        final Histogram windowNs = Percentiles.newHistogram();

        for (final int size : sizes)
        {
            world.barrier();
            final Buf send = member ? buffers.send().view(size) : null;
            final Buf receive = member ? buffers.receive().view(size) : null;
            WarmUp.run(world, !member ? n -> { } : n -> exchangeWindows(world, send, receive, sends, receives, n,
                windowNs), counts.warmup(size), options.common.jitSettleMs());
            if (!member)
            {
                continue;
            }
            final int iterations = counts.iterations(size);
            final long elapsedNs = exchangeWindows(world, send, receive, sends, receives, iterations, windowNs);
            report.row(size, OsuReport.megabytesPerSecond(2.0 * size * window * iterations, elapsedNs),
                Percentiles.bandwidth(windowNs, 2.0 * size * window));
        }
    }

    /**
     * Either rank's side, {@code rounds} times: a window of receives and a window of sends, both to the other
     * rank.
     *
     * @param windowNs gets the time of every window, reset first.
     * @return nanoseconds of all the rounds.
     */
    private static long exchangeWindows(final Comm world, final Buf send, final Buf receive, final Request[] sends,
        final Request[] receives, final int rounds, final Histogram windowNs)
    {
        windowNs.reset(); // here, not in the caller: the warm-up rounds run it too
        final int peer = RankPair.peer(world);
        final long startNs = System.nanoTime();
        for (int i = 0; i < rounds; i++)
        {
            final long beforeNs = System.nanoTime();
            for (int j = 0; j < receives.length; j++)
            {
                receives[j] = world.irecv(receive, peer, DATA_TAG);
            }
            for (int j = 0; j < sends.length; j++)
            {
                sends[j] = world.isend(send, peer, DATA_TAG);
            }
            Request.awaitAll(sends);
            Request.awaitAll(receives);
            Percentiles.record(windowNs, System.nanoTime() - beforeNs);
        }
        return System.nanoTime() - startNs;
    }
}
