package io.javelin.jmh;

import java.lang.management.ManagementFactory;

/**
 * Measures heap bytes the calling thread allocates per call of a hot path, with the JVM's per-thread
 * allocation counter ({@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes}, exact to the
 * byte, TLABs included). Not a timing measurement.
 *
 * <p>The path is first run {@link #WARMUP_OPS} times so that the JIT compiles it (and escape analysis, where
 * a path relies on it, settles); then {@link #ROUNDS} rounds of {@link #MEASURED_OPS} calls each are measured
 * and the best round counts, so a one-off allocation during one round (a deoptimisation, a queue growing once)
 * does not decide the result.
 */
final class AllocationMeter
{
    static final int WARMUP_OPS = 200_000;
    static final int MEASURED_OPS = 20_000;
    static final int ROUNDS = 5;

    /**
     * One call of a hot path; returns a value so that the JIT cannot drop the work.
     */
    @FunctionalInterface
    interface HotPath
    {
        long run();
    }

    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    /** Keeps results observable. */
    static volatile long sink;

    private AllocationMeter()
    {
    }

    /**
     * @return bytes allocated per call in the best round.
     */
    static double bytesPerOp(final HotPath path)
    {
        if (!THREADS.isThreadAllocatedMemorySupported() || !THREADS.isThreadAllocatedMemoryEnabled())
        {
            throw new IllegalStateException("this JVM does not count allocated bytes per thread: run the test on " +
                "HotSpot (Temurin 25)");
        }
        run(path, WARMUP_OPS);
        long best = Long.MAX_VALUE;
        for (int round = 0; round < ROUNDS; round++)
        {
            final long before = THREADS.getCurrentThreadAllocatedBytes();
            run(path, MEASURED_OPS);
            final long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
            best = Math.min(best, allocated);
        }
        return (double)best / MEASURED_OPS;
    }

    private static void run(final HotPath path, final int ops)
    {
        long result = 0;
        for (int i = 0; i < ops; i++)
        {
            result += path.run();
        }
        sink = result;
    }
}
