package io.javelin.benchmarks;

import io.javelin.mpi.Buf;
import io.javelin.mpi.Comm;
import io.javelin.mpi.Javelin;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PingPong}'s passes: the partner answers exactly the round trips of the initiator's passes (one
 * uninstrumented, plus one timed when percentiles are wanted), and only the second pass fills the histogram.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PingPongTest
{
    private static final int ROUND_TRIPS = 50;

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void shouldAnswerEveryRoundTripOfEveryPassAndTimeOnlyTheSecond(final boolean percentiles)
    {
        final AtomicLong recorded = new AtomicLong(-1);
        final AtomicLong elapsedNs = new AtomicLong(-1);
        final AtomicLong leftOver = new AtomicLong(-1);
        Javelin.runLocal(2, javelin ->
        {
            final Comm world = javelin.world();
            final Buf send = Buf.of(new byte[8]);
            final Buf receive = Buf.of(new byte[8]);
            final Histogram oneWayNs = Percentiles.newHistogram();
            if (0 == world.rank())
            {
                elapsedNs.set(PingPong.initiate(world, 1, send, receive, ROUND_TRIPS, percentiles ? oneWayNs : null));
                recorded.set(oneWayNs.getTotalCount());
            }
            else
            {
                PingPong.answer(world, 0, send, receive, ROUND_TRIPS, percentiles);
            }
            // both sides are done with the ping-pong: any answer too many or too few would be left over (or hang)
            world.barrier();
            leftOver.set(world.iprobe(Comm.ANY_SOURCE, Comm.ANY_TAG).isPresent() ? 1 : 0);
        });
        assertEquals(percentiles ? ROUND_TRIPS : 0, recorded.get());
        assertTrue(elapsedNs.get() > 0, "elapsed " + elapsedNs.get());
        assertEquals(0, leftOver.get(), "a message was left over after the ping-pong");
    }
}
