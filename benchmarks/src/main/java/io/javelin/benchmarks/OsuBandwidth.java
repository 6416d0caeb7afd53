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
 * Uni-directional bandwidth from rank 0 to rank 1 by the method of OSU's {@code osu_bw}: for each message
 * size, after a barrier, rank 0 starts a window of non-blocking sends (64 by default) that rank 1 has
 * matching non-blocking receives for, waits for all, then waits for a 4-byte acknowledgement from rank 1;
 * repeated after some warm-up windows. Bandwidth is bytes sent / time, in MB/s with 1 MB = 10^6 bytes.
 *
 * <p>Output (OSU layout, see {@link OsuReport}): columns {@code Size} and {@code Bandwidth (MB/s)} as OSU, then
 * {@code P50 (MB/s)} and {@code P99 (MB/s)} unless {@code --no-percentiles}: the bandwidth of the median and of
 * the 99th-percentile (slow) window (see {@link Percentiles}).
 *
 * <pre>
 * javelin bench bw --sizes 1:4m --buffer direct
 * </pre>
 */
public final class OsuBandwidth
{
    private static final String NAME = "OsuBandwidth";
    private static final int DATA_TAG = 100;
    private static final int ACK_TAG = 101;
    private static final int ACK_BYTES = 4;
    private static final SizeRange DEFAULT_SIZES = new SizeRange(1, 4 << 20);

    @Command(name = NAME, sortOptions = false,
        description = "OSU-style bandwidth from rank 0 to rank 1, a window of messages in flight, per size.")
    private static final class Options
    {
        @Mixin
        BenchmarkOptions common = new BenchmarkOptions();

        @Mixin
        WindowOption window = new WindowOption();
    }

    private OsuBandwidth()
    {
    }

    /**
     * Runs as one rank of a job (e.g. {@code javelin bench bw}).
     *
     * @param args benchmark options and {@code --javelin.} settings.
     */
    public static void main(final String[] args)
    {
        BenchmarkMain.run(args, OsuBandwidth::run);
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
        report.header("Javelin Bandwidth Test", javelin, options.common,
            "window: " + window + " messages from rank 0 to rank 1, then a " + ACK_BYTES + "-byte ack; MB = 10^6 B");
        report.columns("Bandwidth (MB/s)");

        final boolean member = RankPair.isMember(world);
        final PairBuffers buffers = member ? PairBuffers.allocate(javelin, options.common.buffer(),
            Math.max(ACK_BYTES, sizes[sizes.length - 1])) : null;
        final Request[] requests = new Request[window];
        final Histogram windowNs = Percentiles.newHistogram();

        for (final int size : sizes)
        {
            world.barrier();
            final Buf send = member ? buffers.send().view(size) : null;
            final Buf receive = member ? buffers.receive().view(size) : null;
            final Buf sendAck = member ? buffers.send().view(ACK_BYTES) : null;
            final Buf receiveAck = member ? buffers.receive().view(ACK_BYTES) : null;
            WarmUp.run(world, !member ? n -> { } : world.rank() == 0 ?
                n -> sendWindows(world, send, receiveAck, requests, n, windowNs) :
                n -> receiveWindows(world, receive, sendAck, requests, n), counts.warmup(size),
                options.common.jitSettleMs());
            if (!member)
            {
                continue;
            }
            final int iterations = counts.iterations(size);
            if (world.rank() == 0)
            {
                final long elapsedNs = sendWindows(world, send, receiveAck, requests, iterations, windowNs);
                report.row(size, OsuReport.megabytesPerSecond((double)size * window * iterations, elapsedNs),
                    Percentiles.bandwidth(windowNs, (double)size * window));
            }
            else
            {
                receiveWindows(world, receive, sendAck, requests, iterations);
            }
        }
    }

    /**
     * Rank 0's side: {@code rounds} times a window of sends, then the acknowledgement.
     *
     * @param windowNs gets the time of every window (sends and acknowledgement), reset
     *                 first.
     * @return nanoseconds of all the rounds.
     */
    private static long sendWindows(final Comm world, final Buf send, final Buf ack, final Request[] requests,
        final int rounds, final Histogram windowNs)
    {
        windowNs.reset(); // here, not in the caller: the warm-up rounds run it too
        final long startNs = System.nanoTime();
        for (int i = 0; i < rounds; i++)
        {
            final long beforeNs = System.nanoTime();
            for (int j = 0; j < requests.length; j++)
            {
                requests[j] = world.isend(send, 1, DATA_TAG);
            }
            Request.awaitAll(requests);
            world.recv(ack, 1, ACK_TAG);
            Percentiles.record(windowNs, System.nanoTime() - beforeNs);
        }
        return System.nanoTime() - startNs;
    }

    /**
     * Rank 1's side: a window of receives, then the acknowledgement.
     */
    private static void receiveWindows(final Comm world, final Buf receive, final Buf ack, final Request[] requests,
        final int rounds)
    {
        for (int i = 0; i < rounds; i++)
        {
            for (int j = 0; j < requests.length; j++)
            {
                requests[j] = world.irecv(receive, 0, DATA_TAG);
            }
            Request.awaitAll(requests);
            world.send(ack, 0, ACK_TAG);
        }
    }
}
