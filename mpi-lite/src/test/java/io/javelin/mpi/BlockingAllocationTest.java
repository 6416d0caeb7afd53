package io.javelin.mpi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Point-to-point calls reuse the engine's requests, and a communicator hands out its last {@link Status} again
 * while messages look alike: a ping-pong of blocking sends and receives allocates nothing per round trip; a
 * non-blocking one only the {@link Request}s.
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
    /** One public {@code EngineRequest} (six references, two ints, a long; its engine request is reused). */
    private static final double REQUEST_BYTES = 56;

    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    @Test
    void shouldAllocateNothingPerBlockingRoundTrip()
    {
        final double[] bytesPerRoundTrip = measure(false);
        for (int rank = 0; rank < 2; rank++)
        {
            assertTrue(bytesPerRoundTrip[rank] < 1, "rank " + rank + " allocated " + bytesPerRoundTrip[rank] +
                " bytes per blocking send + recv; nothing is expected (a new Status is " + STATUS_BYTES +
                " bytes: the communicator must return its last one again while messages look alike)");
        }
    }

    @Test
    void shouldAllocateOnlyRequestsPerNonBlockingRoundTrip()
    {
        final double[] bytesPerRoundTrip = measure(true);
        for (int rank = 0; rank < 2; rank++)
        {
            assertTrue(bytesPerRoundTrip[rank] <= 2 * REQUEST_BYTES, "rank " + rank +
                " allocated " + bytesPerRoundTrip[rank] + " bytes per isend + irecv + two awaits; only the two " +
                "Requests (" + REQUEST_BYTES + " bytes each) are expected: the engine's requests must be released " +
                "to the engine once complete, and repeated statuses reused");
        }
    }

    /**
     * @return per rank, bytes allocated per round trip in the best round.
     */
    private static double[] measure(final boolean nonBlocking)
    {
        final double[] bytesPerRoundTrip = new double[2];
        Javelin.runLocal(2, javelin ->
        {
            final Comm world = javelin.world();
            final int peer = 1 - world.rank();
            final Buf buf = Buf.of(new int[16]);
            pingPong(world, buf, peer, WARMUP_ROUND_TRIPS, nonBlocking);
            long best = Long.MAX_VALUE;
            for (int round = 0; round < ROUNDS; round++)
            {
                final long before = THREADS.getCurrentThreadAllocatedBytes();
                pingPong(world, buf, peer, MEASURED_ROUND_TRIPS, nonBlocking);
                best = Math.min(best, THREADS.getCurrentThreadAllocatedBytes() - before);
            }
            bytesPerRoundTrip[world.rank()] = (double)best / MEASURED_ROUND_TRIPS;
        });
        return bytesPerRoundTrip;
    }

    private static void pingPong(final Comm world, final Buf buf, final int peer, final int roundTrips,
        final boolean nonBlocking)
    {
        for (int i = 0; i < roundTrips; i++)
        {
            if (nonBlocking)
            {
                final Request receive = world.irecv(buf, peer, 3);
                world.isend(buf, peer, 3).await();
                receive.await();
            }
            else if (world.rank() == 0)
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
