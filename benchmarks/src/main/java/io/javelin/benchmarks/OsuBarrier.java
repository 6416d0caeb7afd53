package io.javelin.benchmarks;

import io.javelin.mpi.Comm;
import io.javelin.mpi.Javelin;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintStream;

/**
 * Barrier latency by the method of OSU's {@code osu_barrier}: every rank times many barriers; a rank's
 * latency is its total / iterations; the report gives the average over ranks (and the minimum and maximum).
 *
 * <p>Output (OSU layout, see {@link OsuReport}): as {@code osu_barrier -f}, no size column: one data line with
 * {@code Avg Latency(us)} right-aligned in 17 characters (under {@code # Avg Latency(us)}), then
 * {@code Min Latency(us)}, {@code Max Latency(us)} and {@code Iterations}, then {@code P50 (us)} and
 * {@code P99 (us)} unless {@code --no-percentiles}.
 * {@code --sizes} and {@code --buffer} do not apply.
 *
 * <pre>
 * javelin bench barrier -n 4 --iterations 100000
 * </pre>
 */
public final class OsuBarrier
{
    private static final String NAME = "OsuBarrier";

    @Command(name = NAME, sortOptions = false,
        description = "OSU-style barrier latency, averaged over all ranks (--sizes and --buffer do not apply).")
    private static final class Options
    {
        @Mixin
        BenchmarkOptions common = new BenchmarkOptions();
    }

    private OsuBarrier()
    {
    }

    /**
     * Runs as one rank of a job (e.g. {@code javelin bench barrier}).
     *
     * @param args benchmark options and {@code --javelin.} settings.
     */
    public static void main(final String[] args)
    {
        BenchmarkMain.run(args, OsuBarrier::run);
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
        final IterationCounts counts = options.common.iterations(CollectiveLatency.COLLECTIVE);

        final OsuReport report = CollectiveLatency.startReport(javelin, out, options.common,
            "Javelin Barrier Latency Test", "barrier", false);

        world.barrier();
        final Histogram callNs = Percentiles.newHistogram();
        // the warm-up runs the timed loop itself, so that the JIT has compiled it before the timed iterations
        WarmUp.run(world, n -> timedBarriers(world, n, callNs), counts.warmup(0), options.common.jitSettleMs());
        final int iterations = counts.iterations(0);
        final long timedNs = timedBarriers(world, iterations, callNs);
        final CollectiveLatency.Stats stats = CollectiveLatency.acrossRanks(world,
            OsuReport.microseconds(timedNs) / iterations, Percentiles.microseconds(callNs));
        stats.print(report, -1, iterations);
    }

    /**
     * @return the total time of n barriers, each timed on its own and recorded in callNs.
     */
    private static long timedBarriers(final Comm world, final int n, final Histogram callNs)
    {
        callNs.reset(); // here, not in the caller: the warm-up rounds run it too
        long timedNs = 0;
        for (int i = 0; i < n; i++)
        {
            final long startNs = System.nanoTime();
            world.barrier();
            final long elapsedNs = System.nanoTime() - startNs;
            timedNs += elapsedNs;
            Percentiles.record(callNs, elapsedNs);
        }
        return timedNs;
    }
}
