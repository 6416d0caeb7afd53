package io.javelin.benchmarks;

import io.javelin.mpi.Buf;
import io.javelin.mpi.Comm;
import io.javelin.mpi.Javelin;

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
    private static final SizedCollective BENCHMARK = new SizedCollective(NAME,
        "OSU-style broadcast latency from rank 0, averaged over all ranks, per size.", new SizeRange(1, 1 << 20),
        "Javelin Broadcast Latency Test", "bcast from rank 0", OsuBcast::allocate);

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
        BENCHMARK.run(javelin, args, out);
    }

    private static SizedCollective.SizedCall allocate(final Javelin javelin, final BufferKind kind,
        final int largestSize)
    {
        final Comm world = javelin.world();
        final MessageBuffer buffer = kind.allocate(javelin, Math.max(1, largestSize)).fill((byte)'a');
        return size ->
        {
            final Buf message = buffer.view(size);
            return () -> world.bcast(message, 0);
        };
    }
}
