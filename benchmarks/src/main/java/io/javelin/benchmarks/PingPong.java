package io.javelin.benchmarks;

import io.javelin.mpi.Buf;
import io.javelin.mpi.Comm;
import org.HdrHistogram.Histogram;

/**
 * The two sides of OSU's ping-pong ({@code osu_latency}, {@code osu_multi_lat}): the initiator sends and
 * waits for the same size back; its partner receives and answers.
 *
 * <p>A measurement is one or two passes of the same count of round trips. The first is OSU's: a clock read
 * before and after the loop and none inside, so the average carries no instrumentation (as the native side of
 * {@code javelin bench compare}; a clock read costs about 20 ns here, a tenth of a shared-memory one-way time).
 * The second, only when percentiles are wanted, times every round trip into a histogram. {@link WarmUp} runs
 * both passes too, so that both loops are compiled before the timed ones.
 */
final class PingPong
{
    private static final int TAG = 1;

    private PingPong()
    {
    }

    /**
     * The initiator's side: OSU's pass of {@code roundTrips} round trips, then, when {@code oneWayNs} is not
     * null, a second pass that records the one-way time (round trip / 2) of each round trip in it, reset first
     * (in the warm-up too, so that the JIT has compiled the reset before the timed passes).
     *
     * @param world      the job.
     * @param peer       the partner rank.
     * @param send       the message.
     * @param receive    where the answer goes.
     * @param roundTrips round trips per pass.
     * @param oneWayNs   gets the one-way time of every round trip of the second pass; null: no second pass.
     * @return nanoseconds of the first pass's round trips.
     */
    static long initiate(final Comm world, final int peer, final Buf send, final Buf receive, final int roundTrips,
        final Histogram oneWayNs)
    {
        final long elapsedNs = timeLoop(world, peer, send, receive, roundTrips);
        if (null != oneWayNs)
        {
            oneWayNs.reset();
            timeEachRoundTrip(world, peer, send, receive, roundTrips, oneWayNs);
        }
        return elapsedNs;
    }

    /**
     * The partner's side of {@link #initiate}: receive, then answer with the same size, for each of the
     * initiator's passes.
     *
     * @param world       the job.
     * @param peer        the initiator.
     * @param send        the answer.
     * @param receive     where the message goes.
     * @param roundTrips  round trips per pass of the initiator.
     * @param percentiles true when the initiator records percentiles, that is runs the second pass too.
     */
    static void answer(final Comm world, final int peer, final Buf send, final Buf receive, final int roundTrips,
        final boolean percentiles)
    {
        final int passes = percentiles ? 2 : 1;
        for (int pass = 0; pass < passes; pass++)
        {
            for (int i = 0; i < roundTrips; i++)
            {
                world.recv(receive, peer, TAG);
                world.send(send, peer, TAG);
            }
        }
    }

    private static long timeLoop(final Comm world, final int peer, final Buf send, final Buf receive,
        final int roundTrips)
    {
        final long startNs = System.nanoTime();
        for (int i = 0; i < roundTrips; i++)
        {
            world.send(send, peer, TAG);
            world.recv(receive, peer, TAG);
        }
        return System.nanoTime() - startNs;
    }

    private static void timeEachRoundTrip(final Comm world, final int peer, final Buf send, final Buf receive,
        final int roundTrips, final Histogram oneWayNs)
    {
        for (int i = 0; i < roundTrips; i++)
        {
            final long beforeNs = System.nanoTime();
            world.send(send, peer, TAG);
            world.recv(receive, peer, TAG);
            Percentiles.record(oneWayNs, (System.nanoTime() - beforeNs) / 2);
        }
    }
}
