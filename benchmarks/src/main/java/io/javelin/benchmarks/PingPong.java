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
     * The initiator's side: {@code warmup + iterations} round trips, the last {@code iterations} timed.
     *
     * @param world      the job.
     * @param peer       the partner rank.
     * @param send       the message.
     * @param receive    where the answer goes.
     * @param warmup     untimed round trips first.
     * @param iterations timed round trips.
     * @param oneWayNs   gets the one-way time (round trip / 2) of every timed round trip.
     * @return nanoseconds of the timed round trips.
     */
    static long initiate(final Comm world, final int peer, final Buf send, final Buf receive, final int warmup,
        final int iterations, final Histogram oneWayNs)
    {
        long startNs = 0;
        for (int i = 0; i < warmup + iterations; i++)
        {
            final long beforeNs = System.nanoTime();
            if (i == warmup)
            {
                startNs = beforeNs;
            }
            world.send(send, peer, TAG);
            world.recv(receive, peer, TAG);
            if (i >= warmup)
            {
                Percentiles.record(oneWayNs, (System.nanoTime() - beforeNs) / 2);
            }
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
