package io.javelin.mpi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Warm collectives allocate nothing: the checks that turn mismatched calls into errors (sequence-numbered
 * tags, tracked receives, checked waits) cost the normal path no allocation, and neither do the exchanges of
 * the small allreduce (requests go back to the engine, request arrays and scratch slices are reused). Garbage
 * on this path would bring a young collection, and its pause, every few hundred thousand calls. (The large
 * allreduce still makes a few slice objects per call: under a kilobyte per call of 100 us or more.)
 *
 * <p>Measured with the JVM's per-thread allocation counter after a warm-up (the JIT settles); the best of a
 * few rounds counts, so a one-off allocation during a round does not decide the result. Not a timing test.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CollectiveAllocationTest
{
    private static final int WARMUP_CALLS = 10_000;
    private static final int MEASURED_CALLS = 2_000;
    private static final int ROUNDS = 5;

    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    @Test
    void shouldAllocateNothingPerBarrier()
    {
        assertNoAllocation(3, "barrier", comm -> comm::barrier);
    }

    @Test
    void shouldAllocateNothingPerSmallAllreduce()
    {
        assertNoAllocation(2, "8-byte allreduce", comm ->
        {
            final Buf send = Buf.of(new float[]{1, 2});
            final Buf receive = Buf.of(new float[2]);
            return () -> comm.allreduce(send, receive, Op.SUM);
        });
    }

    @Test
    void shouldAllocateNothingPerSmallAllreduceOnThreeRanks()
    {
        // the fold step of non-power-of-two rank counts, then recursive doubling
        assertNoAllocation(3, "allreduce on 3 ranks", comm ->
        {
            final Buf send = Buf.of(new long[]{1, 2, 3, 4});
            final Buf receive = Buf.of(new long[4]);
            return () -> comm.allreduce(send, receive, Op.MAX);
        });
    }

    private static void assertNoAllocation(final int ranks, final String what,
        final java.util.function.Function<Comm, Runnable> collective, final String... options)
    {
        final double[] bytesPerCall = new double[ranks];
        Javelin.runLocal(ranks, javelin ->
        {
            final Comm world = javelin.world();
            final Runnable call = collective.apply(world);
            for (int i = 0; i < WARMUP_CALLS; i++)
            {
                call.run();
            }
            long best = Long.MAX_VALUE;
            for (int round = 0; round < ROUNDS; round++)
            {
                final long before = THREADS.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < MEASURED_CALLS; i++)
                {
                    call.run();
                }
                best = Math.min(best, THREADS.getCurrentThreadAllocatedBytes() - before);
            }
            bytesPerCall[world.rank()] = (double)best / MEASURED_CALLS;
        }, options);
        for (int rank = 0; rank < ranks; rank++)
        {
            assertTrue(bytesPerCall[rank] < 1, "rank " + rank + " allocated " + bytesPerCall[rank] +
                " bytes per " + what + "; none is expected");
        }
    }
}
