package io.javelin.mpi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Blocking point-to-point calls reuse the engine's requests: a ping-pong of blocking sends and receives
 * allocates, per round trip and rank, nothing but the {@link Status} that {@code recv} returns.
 *
 * <p>Measured with the JVM's per-thread allocation counter after a warm-up (the JIT settles); the best of a
 * few rounds counts, so a one-off allocation during a round does not decide the result. Not a timing test.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BlockingAllocationTest
{
    private static final int WARMUP_ROUND_TRIPS = 10_000;
    private static final int MEASURED_ROUND_TRIPS = 2_000;
    private static final int ROUNDS = 5;
    /** One {@code MessageStatus} (three ints and a long, with compressed class pointers). */
    private static final double STATUS_BYTES = 32;

    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    @Test
    void shouldAllocateOnlyTheReturnedStatusPerBlockingRoundTrip()
    {
        final double[] bytesPerRoundTrip = new double[2];
        Javelin.runLocal(2, javelin ->
        {
            final Comm world = javelin.world();
            final int peer = 1 - world.rank();
            final Buf buf = Buf.of(new int[16]);
            pingPong(world, buf, peer, WARMUP_ROUND_TRIPS);
            long best = Long.MAX_VALUE;
            for (int round = 0; round < ROUNDS; round++)
            {
                final long before = THREADS.getCurrentThreadAllocatedBytes();
                pingPong(world, buf, peer, MEASURED_ROUND_TRIPS);
                best = Math.min(best, THREADS.getCurrentThreadAllocatedBytes() - before);
            }
            bytesPerRoundTrip[world.rank()] = (double)best / MEASURED_ROUND_TRIPS;
        });
        for (int rank = 0; rank < 2; rank++)
        {
            assertTrue(bytesPerRoundTrip[rank] <= STATUS_BYTES, "rank " + rank + " allocated " +
                bytesPerRoundTrip[rank] + " bytes per blocking send + recv; only the returned Status (" +
                STATUS_BYTES + " bytes) is expected");
        }
    }

    private static void pingPong(final Comm world, final Buf buf, final int peer, final int roundTrips)
    {
        for (int i = 0; i < roundTrips; i++)
        {
            if (world.rank() == 0)
            {
                world.send(buf, peer, 1);
                world.recv(buf, peer, 2);
            }
            else
            {
                world.recv(buf, peer, 1);
                world.send(buf, peer, 2);
            }
        }
    }
}
