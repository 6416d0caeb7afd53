package io.javelin.benchmarks;

import io.javelin.mpi.Buf;
import io.javelin.mpi.Comm;
import org.HdrHistogram.Histogram;

/**
 * The two sides of OSU's ping-pong ({@code osu_latency}, {@code osu_multi_lat}): the initiator sends and
 * waits for the same size back; its partner receives and answers.
 */
final class PingPong
{
    private static final int TAG = 1;

    private PingPong()
    {
    }

    /**
     * The initiator's side: {@code roundTrips} round trips, each timed ({@link WarmUp} runs the untimed ones
     * through here too; the caller resets the histogram before the timed ones).
     *
     * @param world      the job.
     * @param peer       the partner rank.
     * @param send       the message.
     * @param receive    where the answer goes.
     * @param roundTrips round trips.
     * @param oneWayNs   gets the one-way time (round trip / 2) of every round trip.
     * @return nanoseconds of all the round trips.
     */
    static long initiate(final Comm world, final int peer, final Buf send, final Buf receive, final int roundTrips,
        final Histogram oneWayNs)
    {
        final long startNs = System.nanoTime();
        for (int i = 0; i < roundTrips; i++)
        {
            final long beforeNs = System.nanoTime();
            world.send(send, peer, TAG);
            world.recv(receive, peer, TAG);
            Percentiles.record(oneWayNs, (System.nanoTime() - beforeNs) / 2);
        }
        return System.nanoTime() - startNs;
    }

    /**
     * The partner's side: receive, then answer with the same size, {@code rounds} times.
     *
     * @param world   the job.
     * @param peer    the initiator.
     * @param send    the answer.
     * @param receive where the message goes.
     * @param rounds  warm-up plus timed round trips of the initiator.
     */
    static void answer(final Comm world, final int peer, final Buf send, final Buf receive, final int rounds)
    {
        for (int i = 0; i < rounds; i++)
        {
            world.recv(receive, peer, TAG);
            world.send(send, peer, TAG);
        }
    }
}
