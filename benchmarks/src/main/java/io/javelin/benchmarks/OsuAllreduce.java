package io.javelin.benchmarks;

import io.javelin.mpi.Javelin;
import io.javelin.mpi.Op;

import java.io.PrintStream;

/**
 * Allreduce latency by the method of OSU's {@code osu_allreduce}: for each message size, every rank calls
 * allreduce (SUM of floats, size / 4 of them) many times, each call followed by an untimed barrier (see
 * {@link CollectiveLatency}); sizes below one float are skipped, as OSU does.
 *
 * <p>Output (OSU layout, see {@link OsuReport}): columns {@code Size} and {@code Avg Latency(us)} as OSU,
 * then OSU's full ({@code -f}) columns {@code Min Latency(us)}, {@code Max Latency(us)} (the lowest and highest
 * latency of a rank) and {@code Iterations}, then {@code P50 (us)} and {@code P99 (us)} unless
 * {@code --no-percentiles} (see {@link CollectiveLatency}).
 *
 * <pre>
 * javelin bench allreduce -n 4 --sizes 4:1m
 * </pre>
 */
public final class OsuAllreduce
{
    private static final String NAME = "OsuAllreduce";
    private static final SizedCollective BENCHMARK = new SizedCollective(NAME,
        "OSU-style allreduce latency (SUM of floats), averaged over all ranks, per size.", new SizeRange(4, 1 << 20),
        "Javelin Allreduce Latency Test", "allreduce (SUM of floats)",
        SizedCollective.floats((world, send, receive) -> world.allreduce(send, receive, Op.SUM)));

    private OsuAllreduce()
    {
    }

    /**
     * Runs as one rank of a job (e.g. {@code javelin bench allreduce}).
     *
     * @param args benchmark options and {@code --javelin.} settings.
     */
    public static void main(final String[] args)
    {
        BenchmarkMain.run(args, OsuAllreduce::run);
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
        BENCHMARK.run(javelin, args, out);
    }
}
