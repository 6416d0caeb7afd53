package io.javelin.benchmarks;

import io.javelin.mpi.Buf;
import io.javelin.mpi.Comm;
import io.javelin.mpi.Javelin;

import java.io.PrintStream;

/**
 * All-to-all latency by the method of OSU's {@code osu_alltoall}: for each message size (the bytes a rank
 * sends to each rank), every rank calls alltoall many times, each call followed by an untimed barrier (see
 * {@link CollectiveLatency}); every rank sends and receives size x N bytes. Size 0 is skipped: OSU starts
 * at 1 byte.
 *
 * <p>Output (OSU layout, see {@link OsuReport}): columns {@code Size} and {@code Avg Latency(us)} as OSU,
 * then OSU's full ({@code -f}) columns {@code Min Latency(us)}, {@code Max Latency(us)} (the lowest and highest
 * latency of a rank) and {@code Iterations}, then {@code P50 (us)} and {@code P99 (us)} unless
 * {@code --no-percentiles} (see {@link CollectiveLatency}).
 *
 * <pre>
 * javelin bench alltoall -n 4 --sizes 1:64k
 * </pre>
 */
public final class OsuAlltoall
{
    private static final String NAME = "OsuAlltoall";
    private static final SizedCollective BENCHMARK = new SizedCollective(NAME,
        "OSU-style alltoall latency (SIZE bytes to each rank), averaged over all ranks, per size.",
        new SizeRange(1, 1 << 20), "Javelin All-to-All Personalized Exchange Latency Test",
        "alltoall of Size bytes to each rank", OsuAlltoall::allocate);

    private OsuAlltoall()
    {
    }

    /**
     * Runs as one rank of a job (e.g. {@code javelin bench alltoall}).
     *
     * @param args benchmark options and {@code --javelin.} settings.
     */
    public static void main(final String[] args)
    {
        BenchmarkMain.run(args, OsuAlltoall::run);
    }

    /**
     * The benchmark, callable in-process: every rank of the job calls it; rank 0 prints the report.
     *
     * @param javelin this rank's handle; not closed here.
     * @param args    benchmark options ({@code --javelin.} ones are ignored).
     * @param out     where rank 0 prints.
     * @throws UsageException for bad options, a job of one rank, or sizes x ranks beyond 2 GiB.
     */
    public static void run(final Javelin javelin, final String[] args, final PrintStream out)
    {
        BENCHMARK.run(javelin, args, out);
    }

    private static SizedCollective.SizedCall allocate(final Javelin javelin, final BufferKind kind,
        final int largestSize)
    {
        final Comm world = javelin.world();
        final int exchangedBytes = CollectiveLatency.blocksBytes(world, Math.max(1, largestSize), NAME);
        final MessageBuffer sendBuffer = kind.allocate(javelin, exchangedBytes).fill((byte)'a');
        final MessageBuffer receiveBuffer = kind.allocate(javelin, exchangedBytes).fill((byte)'b');
        return size ->
        {
            if (size == 0)
            {
                return null;
            }
            final Buf send = sendBuffer.view(size * world.size());
            final Buf receive = receiveBuffer.view(size * world.size());
            return () -> world.alltoall(send, receive);
        };
    }
}
