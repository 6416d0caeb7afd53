package io.javelin.benchmarks;

import io.javelin.mpi.Buf;
import io.javelin.mpi.Comm;
import io.javelin.mpi.ElementType;
import io.javelin.mpi.Javelin;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Mixin;

import java.io.PrintStream;

/**
 * The run every sized OSU collective latency test shares ({@link OsuAllreduce}, {@link OsuReduce},
 * {@link OsuBcast}, {@link OsuAllgather}, {@link OsuAlltoall}): parse the options, check the job, allocate the
 * buffers once for the largest size, print the header, then for each size time the collective by the method of
 * {@link CollectiveLatency} and print a row. A benchmark gives only what differs: the values here and its
 * {@link Setup}.
 *
 * @param name         the benchmark, for the usage text and messages, e.g. "OsuAllreduce".
 * @param description  what it measures, for the usage text.
 * @param defaultSizes the sizes without {@code --sizes}.
 * @param title        the report's first line, e.g. "Javelin Allreduce Latency Test".
 * @param call         what one timed call is, for the header, e.g. "allreduce (SUM of floats)".
 * @param setup        the benchmark's buffers and its call at each size.
 */
record SizedCollective(String name, String description, SizeRange defaultSizes, String title, String call, Setup setup)
{
    /**
     * The options of every sized collective benchmark: the common ones.
     */
    private static final class Options
    {
        @Mixin
        BenchmarkOptions common = new BenchmarkOptions();
    }

    /**
     * A benchmark's buffers, allocated once, before the report header.
     */
    @FunctionalInterface
    interface Setup
    {
        /**
         * @param javelin     this rank's handle.
         * @param kind        the kind of message memory ({@code --buffer}).
         * @param largestSize the largest message size, bytes (may be 0).
         * @return the collective at each size, over these buffers.
         * @throws UsageException if the job cannot hold the largest size; before any allocation or output.
         */
        SizedCall allocate(Javelin javelin, BufferKind kind, int largestSize);
    }

    /**
     * The collective at one size.
     */
    @FunctionalInterface
    interface SizedCall
    {
        /**
         * Called once per size, outside the timed loop, so that the timed calls allocate nothing.
         *
         * @param size message bytes, as the report's Size column gives it.
         * @return one call of the collective at that size; null to skip the size (as OSU skips sizes its data
         *     type cannot hold).
         */
        Runnable at(int size);
    }

    /**
     * A reduction over floats, the data of OSU's reduction tests.
     */
    @FunctionalInterface
    interface FloatReduction
    {
        /**
         * @param world   the job.
         * @param send    this rank's floats.
         * @param receive where the result goes, as many floats.
         */
        void reduce(Comm world, Buf send, Buf receive);
    }

    /**
     * The set-up of OSU's reduction tests: send and receive buffers of the largest size; at each size, size / 4
     * floats of each (sizes below one float are skipped, as OSU does).
     *
     * @param reduction the collective.
     * @return the set-up.
     */
    static Setup floats(final FloatReduction reduction)
    {
        return (javelin, kind, largestSize) ->
        {
            final Comm world = javelin.world();
            final PairBuffers buffers = PairBuffers.allocate(javelin, kind, largestSize);
            return size ->
            {
                final int bytes = size / Float.BYTES * Float.BYTES;
                if (bytes == 0)
                {
                    return null;
                }
                final Buf send = Buf.of(buffers.send().view(bytes).segment(), ElementType.FLOAT);
                final Buf receive = Buf.of(buffers.receive().view(bytes).segment(), ElementType.FLOAT);
                return () -> reduction.reduce(world, send, receive);
            };
        };
    }

    /**
     * Runs the benchmark: every rank of the job calls this; rank 0 prints the report.
     *
     * @param javelin this rank's handle; not closed here.
     * @param args    benchmark options ({@code --javelin.} ones are ignored).
     * @param out     where rank 0 prints.
     * @throws UsageException for bad options, a job of one rank, or sizes the job cannot hold.
     */
    void run(final Javelin javelin, final String[] args, final PrintStream out)
    {
        final Comm world = javelin.world();
        final Options command = new Options();
        if (!BenchmarkCommandLine.parse(command, name, description, args, world.rank() == 0 ? out : null))
        {
            return;
        }
        final BenchmarkOptions options = command.common;
        CollectiveLatency.requireRanks(world, name);
        final int[] sizes = options.sizes(defaultSizes).sizes();
        final IterationCounts counts = options.iterations(CollectiveLatency.COLLECTIVE);
        final SizedCall collectiveAt = setup.allocate(javelin, options.buffer(), sizes[sizes.length - 1]);

        final OsuReport report = CollectiveLatency.startReport(javelin, out, options, title, call, true);
        final Histogram callNs = Percentiles.newHistogram();
        for (final int size : sizes)
        {
            final Runnable collective = collectiveAt.at(size);
            if (null == collective)
            {
                continue;
            }
            world.barrier();
            final CollectiveLatency.Stats stats = CollectiveLatency.measure(world, collective,
                counts.warmup(size), counts.iterations(size), callNs, options.jitSettleMs());
            stats.print(report, size, counts.iterations(size));
        }
    }
}
