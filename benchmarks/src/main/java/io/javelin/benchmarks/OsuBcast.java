package io.javelin.benchmarks;

import io.javelin.mpi.Buf;
import io.javelin.mpi.Comm;
import io.javelin.mpi.Javelin;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintStream;

/**
 * Broadcast latency by the method of OSU's {@code osu_bcast}: for each message size, every rank calls bcast
 * from rank 0 many times, each call followed by an untimed barrier (see {@link CollectiveLatency}).
 *
 * <p>Output (OSU layout, see {@link OsuReport}): columns {@code Size} and {@code Avg Latency(us)} as OSU,
 * then OSU's full ({@code -f}) columns {@code Min Latency(us)}, {@code Max Latency(us)} (the lowest and highest
 * latency of a rank) and {@code Iterations}, then {@code P50 (us)} and {@code P99 (us)} unless
 * {@code --no-percentiles} (see {@link CollectiveLatency}).
 *
 * <pre>
 * javelin bench bcast -n 4 --sizes 1:1m
 * </pre>
 */
public final class OsuBcast
{
    private static final String NAME = "OsuBcast";
    private static final SizeRange DEFAULT_SIZES = new SizeRange(1, 1 << 20);

    @Command(name = NAME, sortOptions = false,
        description = "OSU-style broadcast latency from rank 0, averaged over all ranks, per size.")
    private static final class Options
    {
        @Mixin
        BenchmarkOptions common = new BenchmarkOptions();
    }

    private OsuBcast()
    {
    }

    /**
     * Runs as one rank of a job (e.g. {@code javelin bench bcast}).
     *
     * @param args benchmark options and {@code --javelin.} settings.
     */
    public static void main(final String[] args)
    {
        BenchmarkMain.run(args, OsuBcast::run);
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
        CollectiveLatency.requireRanks(world, NAME);
        final int[] sizes = options.common.sizes(DEFAULT_SIZES).sizes();
        final IterationCounts counts = options.common.iterations(CollectiveLatency.COLLECTIVE);

        final OsuReport report = OsuReport.forRank(javelin, out).percentiles(options.common.percentiles(), "us",
            CollectiveLatency.PERCENTILES_NOTE);
        report.header("Javelin Broadcast Latency Test", javelin, options.common.buffer(),
            "Avg Latency: time of one bcast from rank 0, per rank, averaged over ranks, as OSU; Min, Max: over ranks");
        report.collectiveColumns(true);

        final MessageBuffer buffer = options.common.buffer().allocate(javelin, Math.max(1, sizes[sizes.length - 1]))
            .fill((byte)'a');
        final Histogram callNs = Percentiles.newHistogram();
        for (final int size : sizes)
        {
            final Buf message = buffer.view(size);
            world.barrier();
            final Runnable collective = () -> world.bcast(message, 0);
            final CollectiveLatency.Stats stats = CollectiveLatency.measure(world, collective,
                counts.warmup(size), counts.iterations(size), callNs);
            stats.print(report, size, counts.iterations(size));
        }
    }
}
