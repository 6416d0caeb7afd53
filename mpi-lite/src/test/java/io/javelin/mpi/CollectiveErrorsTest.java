package io.javelin.mpi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Misuse of collectives gives a clear JavelinException, never a hang: local mistakes at the call, counts that
 * differ between ranks once the collective's messages have moved.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CollectiveErrorsTest
{
    private static void assertInvalid(final Executable call, final String... fragments)
    {
        final JavelinException ex = assertThrows(JavelinException.class, call);
        assertEquals(ErrorClass.INVALID_ARGUMENT, ex.errorClass(), ex.getMessage());
        for (final String fragment : fragments)
        {
            assertTrue(ex.getMessage().contains(fragment), ex.getMessage() + " should mention " + fragment);
        }
    }

    @Test
    void shouldRejectLocalMistakesAtTheCall()
    {
        Javelin.runLocal(3, javelin ->
        {
            final Comm world = javelin.world();
            final int[] three = new int[3];
            final int[] nine = new int[9];
            assertInvalid(() -> world.bcast(Buf.of(three), 3), "bcast", "root 3");
            assertInvalid(() -> world.reduce(Buf.of(three), Buf.of(three), Op.SUM, -1), "reduce", "root -1");
            assertInvalid(() -> world.gather(Buf.of(three), Buf.of(nine), 5), "gather", "root");
            assertInvalid(() -> world.scatterv(Buf.of(nine), new int[3], new int[3], Buf.of(three), 3), "scatterv");
            assertInvalid(() -> world.allreduce(Buf.of(new double[2]), Buf.of(new double[2]), Op.BAND),
                "allreduce", "BAND", "DOUBLE");
            assertInvalid(() -> world.allreduce(Buf.of(new byte[2]), Buf.of(new byte[2]), Op.SUM), "BYTE");
            assertInvalid(() -> world.allreduce(Buf.of(three), Buf.of(three), null), "op is null");
            assertInvalid(() -> world.allreduce(Buf.of(three), Buf.of(new float[3]), Op.SUM), "INT", "FLOAT");
            assertInvalid(() -> world.allreduce(Buf.of(three), Buf.of(new int[4]), Op.SUM), "recv", "4");
            assertInvalid(() -> world.allgather(Buf.of(three), Buf.of(three)), "allgather", "9");
            assertInvalid(() -> world.alltoall(Buf.of(new int[4]), Buf.of(new int[4])), "multiple");
            assertInvalid(() -> world.reduceScatterBlock(Buf.of(three), Buf.of(three), Op.MAX), "send");
            assertInvalid(() -> world.allgatherv(Buf.of(three), Buf.of(nine), new int[2], new int[2]), "3 ranks");
            assertInvalid(() -> world.allgatherv(Buf.of(three), Buf.of(nine), new int[]{3, 3, 3},
                new int[]{0, 3, 7}), "rank 2", "displacement 7");
            assertInvalid(() -> world.allgatherv(Buf.of(three), Buf.of(nine), new int[]{3, -1, 3},
                new int[]{0, 3, 6}), "count -1");
            assertInvalid(() -> world.allgatherv(Buf.of(three), Buf.of(nine), new int[]{2, 2, 2},
                new int[]{0, 3, 6}), "counts[" + world.rank() + "]");
            assertInvalid(() -> world.alltoallv(Buf.of(three), new int[]{1, 1, 1}, new int[]{0, 1, 2}, Buf.of(nine),
                new int[]{2, 2, 2}, new int[]{0, 3, 6}), "sendCounts[rank()]");
            assertInvalid(() -> world.bcast(null, 0), "bcast", "null");
            // nothing was sent: the communicator works on
            final int[] sum = new int[1];
            world.allreduce(Buf.of(new int[]{1}), Buf.of(sum), Op.SUM);
            assertEquals(3, sum[0]);
        });
    }

    @Test
    void shouldRejectSwitchPointsThatAreNotSizes()
    {
        final JavelinException ex = assertThrows(JavelinException.class, () -> Javelin.runLocal(2, javelin ->
        {
        }, "--javelin.coll.allreduce.large.min.bytes=lots"));
        assertEquals(ErrorClass.INVALID_ARGUMENT, ex.errorClass());
        assertTrue(ex.getMessage().contains("javelin.coll.allreduce.large.min.bytes=lots"), ex.getMessage());
    }

    /**
     * Rank 1 passes other counts than the others; every rank must come out of the collective, those that
     * received an odd message with TRUNCATE or INVALID_ARGUMENT naming it, and the communicator works on.
     */
    @ParameterizedTest
    @ValueSource(strings = {"bcast", "reduce", "allreduce", "allreduce-large", "gather", "scatter", "allgather",
        "alltoall", "scan", "reduceScatterBlock"})
    void shouldReportCountsThatDifferBetweenRanks(final String collective)
    {
        checkCountsThatDiffer(collective);
    }

    /**
     * Over TCP with an eager limit between the two lengths' segments, rank 1 sends each exchange of the large
     * allreduce whole while its partner cuts it in two: the partner waits for a second message that never
     * comes, and the mismatch is reported rather than left waiting.
     */
    @Test
    void shouldReportCountsThatDifferWhenOnlyOneRankCutsItsExchanges()
    {
        checkCountsThatDiffer("allreduce-large", "--javelin.transport=tcp", "--javelin.tcp.eager.limit=48k");
    }

    private static void checkCountsThatDiffer(final String collective, final String... options)
    {
        final Map<Integer, JavelinException> failures = new ConcurrentHashMap<>();
        final int ranks = 3;
        Javelin.runLocal(ranks, javelin ->
        {
            final Comm world = javelin.world();
            final boolean odd = world.rank() == 1;
            final IntFunction<Buf> ints = n -> Buf.of(new int[odd ? n + n / 2 + 1 : n]);
            try
            {
                switch (collective)
                {
                    case "bcast" -> world.bcast(ints.apply(8), 0);
                    case "reduce" -> world.reduce(ints.apply(8), Buf.of(new int[odd ? 13 : 8]), Op.SUM, 0);
                    case "allreduce" -> world.allreduce(ints.apply(8), Buf.of(new int[odd ? 13 : 8]), Op.SUM);
                    case "allreduce-large" -> world.allreduce(ints.apply(40_000),
                        Buf.of(new int[odd ? 60_001 : 40_000]), Op.SUM);
                    case "gather" -> world.gather(ints.apply(4), Buf.of(new int[12]), 0);
                    case "scatter" -> world.scatter(Buf.of(new int[12]), ints.apply(4), 0);
                    case "allgather" -> world.allgather(ints.apply(4), Buf.of(new int[odd ? 21 : 12]));
                    case "alltoall" -> world.alltoall(Buf.of(new int[odd ? 15 : 12]), Buf.of(new int[odd ? 15 : 12]));
                    case "scan" -> world.scan(ints.apply(8), Buf.of(new int[odd ? 13 : 8]), Op.MAX);
                    default -> world.reduceScatterBlock(Buf.of(new int[odd ? 15 : 12]), Buf.of(new int[odd ? 5 : 4]),
                        Op.SUM);
                }
            }
            catch (final JavelinException ex)
            {
                failures.put(world.rank(), ex);
            }
            final long[] after = new long[2];
            world.allreduce(Buf.of(new long[]{world.rank(), 1}), Buf.of(after), Op.SUM);
            assertArrayEquals(new long[]{3, ranks}, after, "the communicator works after the mismatch");
        }, options);
        assertFalse(failures.isEmpty(), collective + " with different counts went unnoticed");
        final String name = collective.replace("-large", "");
        failures.forEach((rank, ex) ->
        {
            assertTrue(ex.errorClass() == ErrorClass.TRUNCATE || ex.errorClass() == ErrorClass.INVALID_ARGUMENT,
                "rank " + rank + ": " + ex);
            assertTrue(ex.getMessage().contains(name + ": "), "rank " + rank + ": " + ex.getMessage());
            assertTrue(ex.getMessage().contains("counts"), "rank " + rank + ": " + ex.getMessage());
        });
    }
}
