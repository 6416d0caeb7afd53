package io.javelin.mpi;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One rank passes counts on the other side of an algorithm switch point than the rest (or counts that cut
 * the large allreduce into other segments): the ranks run different algorithms and wait for messages that
 * never come. Every rank must still return, at least one with a JavelinException that names the collective
 * and the fix, and the communicator must work on. Switch points are set low so the messages stay small.
 */
class CollectiveSwitchPointMismatchTest
{
    private static final String[] SETTINGS = {
        "--javelin.coll.allreduce.large.min.bytes=1k",
        "--javelin.coll.bcast.scatter.min.bytes=1k",
        "--javelin.coll.bcast.scatter.min.ranks=2",
        "--javelin.coll.allgather.ring.min.bytes=1k",
        "--javelin.coll.reducescatter.ring.min.bytes=1k",
        "--javelin.coll.segments=3"};

    /** Cases: every collective, on 2, 3 and 4 ranks, with the first or the last rank as the odd one. */
    static Stream<Arguments> cases()
    {
        final List<Arguments> cases = new ArrayList<>();
        for (final String collective : List.of("allreduce", "allreduce-segments", "allreduce-fold", "bcast",
            "bcast-root", "allgather", "reduceScatterBlock"))
        {
            for (int ranks = 2; ranks <= 4; ranks++)
            {
                cases.add(Arguments.of(collective, ranks, 0));
                cases.add(Arguments.of(collective, ranks, ranks - 1));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} on {1} ranks, rank {2} odd")
    @MethodSource("cases")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldReportRanksOnEitherSideOfASwitchPoint(final String collective, final int ranks, final int oddRank)
    {
        final Map<Integer, JavelinException> failures = new ConcurrentHashMap<>();
        Javelin.runLocal(ranks, javelin ->
        {
            final Comm world = javelin.world();
            final boolean odd = world.rank() == oddRank;
            try
            {
                call(world, collective, odd);
            }
            catch (final JavelinException ex)
            {
                failures.put(world.rank(), ex);
            }
            final long[] after = new long[2];
            world.allreduce(Buf.of(new long[]{world.rank(), 1}), Buf.of(after), Op.SUM);
            assertArrayEquals(new long[]{(long)ranks * (ranks - 1) / 2, ranks}, after,
                "the communicator works after the mismatch");
            final int[] large = new int[1024];
            Arrays.fill(large, 1);
            world.allreduce(Buf.of(large), Buf.of(large), Op.SUM);
            assertTrue(Arrays.stream(large).allMatch(v -> v == ranks), "a large allreduce works after it");
        }, SETTINGS);
        assertFalse(failures.isEmpty(), collective + " with counts across a switch point went unnoticed");
        final String name = collective.replaceAll("-.*", "");
        failures.forEach((rank, ex) ->
        {
            assertTrue(ex.errorClass() == ErrorClass.TRUNCATE || ex.errorClass() == ErrorClass.INVALID_ARGUMENT,
                "rank " + rank + ": " + ex);
            assertTrue(ex.getMessage().contains(name + ": "), "rank " + rank + ": " + ex.getMessage());
            assertTrue(ex.getMessage().contains("every rank must pass matching counts"),
                "rank " + rank + ": " + ex.getMessage());
        });
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
            case "allreduce" ->
            {
                final int n = odd ? 1024 : 64;
                world.allreduce(Buf.of(new int[n]), Buf.of(new int[n]), Op.SUM);
            }
            case "allreduce-segments" ->
            {
                final int n = odd ? 1000 : 4000;
                world.allreduce(Buf.of(new int[n]), Buf.of(new int[n]), Op.SUM);
            }
            case "allreduce-fold" ->
            {
                // doubles: the odd rank's 1 KiB vector is large, the others' small
                final int n = odd ? 128 : 127;
                world.allreduce(Buf.of(new double[n]), Buf.of(new double[n]), Op.SUM);
            }
            case "bcast" -> world.bcast(Buf.of(new byte[odd ? 4096 : 100]), 0);
            case "bcast-root" -> world.bcast(Buf.of(new byte[odd ? 100 : 4096]), size - 1);
            case "allgather" ->
            {
                final int block = odd ? 256 : 16;
                world.allgather(Buf.of(new int[block]), Buf.of(new int[block * size]));
            }
            default ->
            {
                final int block = odd ? 256 : 16;
                world.reduceScatterBlock(Buf.of(new int[block * size]), Buf.of(new int[block]), Op.SUM);
            }
        }
    }
}
