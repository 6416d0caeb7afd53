package io.javelin.mpi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checks that turn mismatched collective calls into errors cost the normal path no allocation: a barrier
 * (sequence-numbered tags, tracked receives, checked waits) allocates nothing once warm.
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
        final int ranks = 3;
        final double[] bytesPerCall = new double[ranks];
        Javelin.runLocal(ranks, javelin ->
        {
            final Comm world = javelin.world();
            for (int i = 0; i < WARMUP_CALLS; i++)
            {
                world.barrier();
            }
            long best = Long.MAX_VALUE;
            for (int round = 0; round < ROUNDS; round++)
            {
                final long before = THREADS.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < MEASURED_CALLS; i++)
                {
                    world.barrier();
                }
                best = Math.min(best, THREADS.getCurrentThreadAllocatedBytes() - before);
            }
            bytesPerCall[world.rank()] = (double)best / MEASURED_CALLS;
        });
        for (int rank = 0; rank < ranks; rank++)
        {
            assertTrue(bytesPerCall[rank] < 1, "rank " + rank + " allocated " + bytesPerCall[rank] +
                " bytes per barrier; none is expected");
        }
    }
}
