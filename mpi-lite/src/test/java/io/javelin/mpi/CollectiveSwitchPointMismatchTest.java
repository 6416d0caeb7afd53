package io.javelin.mpi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One rank passes counts on the other side of an algorithm switch point than the rest (or counts that cut
 * the large allreduce into other segments): the ranks run different algorithms and wait for messages that
 * never come. Every rank must still return, at least one with a JavelinException that names the collective
 * and the fix, and the communicator must work on. Switch points are set low so that the messages stay small;
 * a small eager limit sends most of them by rendezvous.
 */
class CollectiveSwitchPointMismatchTest
{
    private static final List<String> SWITCH_POINTS = List.of(
        "--javelin.coll.allreduce.large.min.bytes=1k",
        "--javelin.coll.bcast.scatter.min.bytes=1k",
        "--javelin.coll.bcast.scatter.min.ranks=2",
        "--javelin.coll.allgather.ring.min.bytes=1k",
        "--javelin.coll.reducescatter.ring.min.bytes=1k");
    private static final String FIX = "every rank must pass matching counts (and the same root and algorithm settings)";
    private static final int ROUNDS = 2;

    /**
     * Cases: every collective, on 2, 3 and 4 ranks, with the first or the last rank as the odd one, with the
     * transport's eager limit or one of 256 bytes; and on 4 ranks over TCP.
     */
    static Stream<Arguments> cases()
    {
        final List<Arguments> cases = new ArrayList<>();
        for (final String collective : List.of("allreduce", "allreduce-segments", "allreduce-fold", "bcast",
            "bcast-root", "allgather", "reduceScatterBlock"))
        {
            for (int ranks = 2; ranks <= 4; ranks++)
            {
                for (final String transport : List.of("local", "local-rendezvous"))
                {
                    cases.add(Arguments.of(collective, ranks, 0, transport));
                    cases.add(Arguments.of(collective, ranks, ranks - 1, transport));
                }
            }
            cases.add(Arguments.of(collective, 4, 3, "tcp"));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} on {1} ranks, rank {2} odd, {3}")
    @MethodSource("cases")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldReportRanksOnEitherSideOfASwitchPoint(final String collective, final int ranks, final int oddRank,
        final String transport)
    {
        final Map<Integer, JavelinException> failures = new ConcurrentHashMap<>();
        final AtomicInteger[] failuresPerRound = {new AtomicInteger(), new AtomicInteger()};
        Javelin.runLocal(ranks, javelin ->
        {
            final Comm world = javelin.world();
            for (int round = 0; round < ROUNDS; round++)
            {
                try
                {
                    call(world, collective, world.rank() == oddRank);
                }
                catch (final JavelinException ex)
                {
                    failures.put(world.rank() + ranks * round, ex);
                    failuresPerRound[round].incrementAndGet();
                }
                assertCommunicatorWorks(world);
            }
        }, options(transport, 3));
        for (int round = 0; round < ROUNDS; round++)
        {
            assertTrue(failuresPerRound[round].get() > 0, collective + " with counts across a switch point went " +
                "unnoticed in round " + round);
        }
        final String name = collective.replaceAll("-.*", "");
        failures.forEach((rankAndRound, ex) ->
        {
            final String rank = "rank " + rankAndRound % ranks + ": ";
            assertTrue(ex.errorClass() == ErrorClass.TRUNCATE || ex.errorClass() == ErrorClass.INVALID_ARGUMENT,
                rank + ex);
            assertTrue(ex.getMessage().contains(name + ": "), rank + ex.getMessage());
            assertTrue(ex.getMessage().contains(FIX), rank + ex.getMessage());
        });
    }

    /**
     * Random collectives with random counts on random ranks (several ranks odd at once, counts across switch
     * points and the eager limit): no rank may hang, errors must name the fix, and the collectives that follow
     * each one must give the right results.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldSurviveRandomMismatches()
    {
        final String[] collectives = {"allreduce", "bcast", "allgather", "reduceScatterBlock", "reduce", "scan",
            "gather", "scatter", "alltoall", "barrier"};
        for (int job = 0; job < 12; job++)
        {
            final Random settings = new Random(job);
            final int ranks = 2 + settings.nextInt(5);
            final String transport = job % 4 == 3 ? "tcp" : settings.nextBoolean() ? "local" : "local-rendezvous";
            final long seed = 31L * job;
            Javelin.runLocal(ranks, javelin ->
            {
                final Comm world = javelin.world();
                final Random shared = new Random(seed);
                for (int round = 0; round < 6; round++)
                {
                    final String collective = collectives[shared.nextInt(collectives.length)];
                    final int count = 1 + shared.nextInt(shared.nextBoolean() ? 600 : 20_000);
                    final int oddCount = 1 + shared.nextInt(shared.nextBoolean() ? 600 : 20_000);
                    final int root = shared.nextInt(ranks);
                    boolean odd = false;
                    for (int r = 0; r < ranks; r++)
                    {
                        final boolean rankIsOdd = shared.nextInt(3) == 0;
                        odd |= r == world.rank() && rankIsOdd;
                    }
                    try
                    {
                        callWithCount(world, collective, odd ? oddCount : count, root);
                    }
                    catch (final JavelinException ex)
                    {
                        assertTrue(ex.getMessage().contains(collective + ": ") &&
                            ex.getMessage().contains(FIX), ex.getMessage());
                    }
                    assertCommunicatorWorks(world);
                    final int[] message = new int[1 + shared.nextInt(3000)];
                    Arrays.fill(message, world.rank() == root ? round : -1);
                    world.bcast(Buf.of(message), root);
                    for (final int value : message)
                    {
                        assertEquals(round, value, "bcast after " + collective);
                    }
                }
            }, options(transport, 1 + settings.nextInt(4)));
        }
    }

    private static String[] options(final String transport, final int segments)
    {
        final List<String> options = new ArrayList<>(SWITCH_POINTS);
        options.add("--javelin.coll.segments=" + segments);
        options.add("--javelin.transport=" + transport.replace("-rendezvous", ""));
        if (transport.endsWith("-rendezvous"))
        {
            options.add("--javelin.eager.limit=256");
        }
        return options.toArray(new String[0]);
    }

    private static void assertCommunicatorWorks(final Comm world)
    {
        final int ranks = world.size();
        final long[] after = new long[2];
        world.allreduce(Buf.of(new long[]{world.rank(), 1}), Buf.of(after), Op.SUM);
        assertArrayEquals(new long[]{(long)ranks * (ranks - 1) / 2, ranks}, after,
            "the communicator works after the mismatch");
        final int[] large = new int[1024];
        Arrays.fill(large, 1);
        world.allreduce(Buf.of(large), Buf.of(large), Op.SUM);
        assertTrue(Arrays.stream(large).allMatch(v -> v == ranks), "a large allreduce works after the mismatch");
    }

    /**
     * The odd rank's counts are above the switch point (1 KiB), the others' below; for the segments case all
     * are above and the odd rank's count cuts other segments.
     */
    private static void call(final Comm world, final String collective, final boolean odd)
    {
        final int size = world.size();
        switch (collective)
        {
            case "allreduce" -> callWithCount(world, "allreduce", odd ? 1024 : 64, 0);
            case "allreduce-segments" -> callWithCount(world, "allreduce", odd ? 1000 : 4000, 0);
            case "allreduce-fold" ->
            {
                // doubles: the odd rank's 1 KiB vector is large, the others' small
                final int n = odd ? 128 : 127;
                world.allreduce(Buf.of(new double[n]), Buf.of(new double[n]), Op.SUM);
            }
            case "bcast" -> world.bcast(Buf.of(new byte[odd ? 4096 : 100]), 0);
            case "bcast-root" -> world.bcast(Buf.of(new byte[odd ? 100 : 4096]), size - 1);
            case "allgather" -> callWithCount(world, "allgather", odd ? 256 : 16, 0);
            default -> callWithCount(world, "reduceScatterBlock", odd ? 256 : 16, 0);
        }
    }

    /**
     * @param count elements of this rank's block (or vector).
     */
    private static void callWithCount(final Comm world, final String collective, final int count, final int root)
    {
        final int size = world.size();
        switch (collective)
        {
            case "allreduce" -> world.allreduce(Buf.of(new int[count]), Buf.of(new int[count]), Op.SUM);
            case "bcast" -> world.bcast(Buf.of(new int[count]), root);
            case "allgather" -> world.allgather(Buf.of(new int[count]), Buf.of(new int[count * size]));
            case "reduceScatterBlock" -> world.reduceScatterBlock(Buf.of(new int[count * size]),
                Buf.of(new int[count]), Op.SUM);
            case "reduce" -> world.reduce(Buf.of(new int[count]), Buf.of(new int[count]), Op.SUM, root);
            case "scan" -> world.scan(Buf.of(new int[count]), Buf.of(new int[count]), Op.SUM);
            case "gather" -> world.gather(Buf.of(new int[count]), Buf.of(new int[count * size]), root);
            case "scatter" -> world.scatter(Buf.of(new int[count * size]), Buf.of(new int[count]), root);
            case "alltoall" -> world.alltoall(Buf.of(new int[count * size]), Buf.of(new int[count * size]));
            default -> world.barrier();
        }
    }
}
