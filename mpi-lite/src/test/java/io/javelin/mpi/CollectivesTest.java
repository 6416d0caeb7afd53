package io.javelin.mpi;

import io.javelin.mpi.internal.collective.CollectiveConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every collective against a sequential computation, for 1 to 8 ranks as threads, every element type, sizes
 * around every algorithm switch point (lowered so that both algorithms run on small data), every root.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CollectivesTest
{
    /** Switch points of every collective, lowered to 512 bytes. */
    static final long LOW_SWITCH_BYTES = 512;
    static final String[] LOW_SWITCH_POINTS = {
        "--javelin.coll.bcast.scatter.min.bytes=" + LOW_SWITCH_BYTES,
        "--javelin.coll.bcast.scatter.min.ranks=3",
        "--javelin.coll.allreduce.large.min.bytes=" + LOW_SWITCH_BYTES,
        "--javelin.coll.allgather.ring.min.bytes=" + LOW_SWITCH_BYTES,
        "--javelin.coll.reducescatter.ring.min.bytes=" + LOW_SWITCH_BYTES,
        "--javelin.coll.segments=3"};

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 7, 8})
    void shouldMatchSequentialResultsAroundEverySwitchPoint(final int ranks)
    {
        Javelin.runLocal(ranks, javelin ->
        {
            try (Arena arena = Arena.ofShared())
            {
                final CollectiveChecks checks = new CollectiveChecks(javelin.world(), arena, 1);
                everyCollective(checks, ranks, CollectiveChecks.ALL_TYPES, true);
            }
        }, LOW_SWITCH_POINTS);
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 4})
    void shouldMatchSequentialResultsOverTcp(final int ranks)
    {
        Javelin.runLocal(ranks, javelin ->
        {
            try (Arena arena = Arena.ofShared())
            {
                final CollectiveChecks checks = new CollectiveChecks(javelin.world(), arena, 2);
                everyCollective(checks, ranks, List.of(ElementType.INT, ElementType.DOUBLE), false);
            }
        }, withTransport("tcp", LOW_SWITCH_POINTS));
    }

    /**
     * Over TCP with an eager limit below the segments of the large allreduce, each exchange whose segments would
     * be rendezvous messages goes as one message (PipelinedExchange), while those of later, shorter steps are
     * still cut: the results stay exact.
     */
    @ParameterizedTest
    @ValueSource(ints = {3, 4})
    void shouldMatchSequentialResultsOverTcpWithUncutExchanges(final int ranks)
    {
        Javelin.runLocal(ranks, javelin ->
        {
            try (Arena arena = Arena.ofShared())
            {
                final CollectiveChecks checks = new CollectiveChecks(javelin.world(), arena, 6);
                for (final ElementType type : List.of(ElementType.INT, ElementType.FLOAT, ElementType.LONG))
                {
                    final int element = type.byteSize();
                    for (final int count : new int[]{(int)(LOW_SWITCH_BYTES / element), 2000 / element, 4099})
                    {
                        checks.allreduce(type, Op.SUM, count);
                        checks.allreduce(type, Op.MAX, count + 1);
                    }
                }
            }
        }, withTransport("tcp", plus(LOW_SWITCH_POINTS, "--javelin.tcp.eager.limit=200")));
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 4})
    void shouldMatchSequentialResultsAroundTheDefaultSwitchPoints(final int ranks)
    {
        Javelin.runLocal(ranks, javelin ->
        {
            try (Arena arena = Arena.ofShared())
            {
                final CollectiveChecks checks = new CollectiveChecks(javelin.world(), arena, 3);
                // the local transport's rendezvous transfers overlap: auto switches at the lower default
                final long allreduceSwitch = CollectiveConfiguration.ALLREDUCE_LARGE_MIN_BYTES_OVERLAPPING_DEFAULT;
                for (final int count : around(allreduceSwitch / 8))
                {
                    checks.allreduce(ElementType.DOUBLE, Op.SUM, count);
                }
                for (final int count : around(CollectiveConfiguration.ALLGATHER_RING_MIN_BYTES_DEFAULT / 4 / ranks))
                {
                    checks.allgather(ElementType.INT, count);
                }
                final long reduceScatterSwitch = CollectiveConfiguration.REDUCE_SCATTER_RING_MIN_BYTES_DEFAULT;
                for (final int count : around(reduceScatterSwitch / 4 / ranks))
                {
                    checks.reduceScatterBlock(ElementType.INT, Op.SUM, count);
                }
                final int bcastSwitch = (int)(CollectiveConfiguration.BCAST_SCATTER_MIN_BYTES_DEFAULT / 4);
                for (final int count : new int[]{bcastSwitch - 1, bcastSwitch})
                {
                    checks.bcast(ElementType.INT, count, ranks - 1);
                }
            }
        });
    }

    @Test
    void shouldMoveFourMebibytes()
    {
        final int ranks = 4;
        final int megabytes4 = 4 << 20;
        Javelin.runLocal(ranks, javelin ->
        {
            try (Arena arena = Arena.ofShared())
            {
                final CollectiveChecks checks = new CollectiveChecks(javelin.world(), arena, 4);
                checks.allreduce(ElementType.DOUBLE, Op.SUM, megabytes4 / 8);
                checks.bcast(ElementType.BYTE, megabytes4, 1);
                checks.allgather(ElementType.LONG, megabytes4 / 8 / ranks);
                checks.reduce(ElementType.FLOAT, Op.MAX, megabytes4 / 4, 2);
            }
        });
    }

    @Test
    void shouldMoveFourMebibytesOverTcp()
    {
        final int ranks = 3;
        Javelin.runLocal(ranks, javelin ->
        {
            try (Arena arena = Arena.ofShared())
            {
                final CollectiveChecks checks = new CollectiveChecks(javelin.world(), arena, 5);
                checks.allreduce(ElementType.LONG, Op.SUM, (4 << 20) / 8);
                checks.bcast(ElementType.BYTE, 4 << 20, 2);
            }
        }, "--javelin.transport=tcp");
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 5, 8})
    void shouldLetNoRankLeaveABarrierBeforeAllEntered(final int ranks)
    {
        final AtomicInteger entered = new AtomicInteger();
        final int rounds = 50;
        Javelin.runLocal(ranks, javelin ->
        {
            for (int round = 1; round <= rounds; round++)
            {
                entered.incrementAndGet();
                javelin.world().barrier();
                assertTrue(entered.get() >= round * ranks, "left round " + round + " with " + entered.get() +
                    " entries");
            }
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 5, 6, 7})
    void shouldGiveEveryRankTheSameBitsRunAfterRun(final int ranks)
    {
        Javelin.runLocal(ranks, javelin ->
        {
            final Comm world = javelin.world();
            for (final int count : new int[]{5, 3000})
            {
                final Random random = new Random(world.rank() * 31L + count);
                final double[] send = random.doubles(count, -1e6, 1e6).toArray();
                final double[] first = new double[count];
                final double[] second = new double[count];
                world.allreduce(Buf.of(send), Buf.of(first), Op.SUM);
                world.allreduce(Buf.of(send), Buf.of(second), Op.SUM);
                assertArrayEquals(first, second, "same call, same bits");
                final long[] hashes = new long[world.size()];
                world.allgather(Buf.of(new long[]{java.util.Arrays.hashCode(first)}), Buf.of(hashes));
                for (final long hash : hashes)
                {
                    assertEquals(hashes[0], hash, "every rank the same bits");
                }
            }
        }, LOW_SWITCH_POINTS);
    }

    @Test
    void shouldReduceInPlaceAndOffHeap()
    {
        Javelin.runLocal(3, javelin ->
        {
            final Comm world = javelin.world();
            final long[] vector = {world.rank() + 1, 10L * world.rank()};
            world.allreduce(Buf.of(vector), Buf.of(vector), Op.SUM);
            assertArrayEquals(new long[]{6, 30}, vector);

            final MemorySegment segment = javelin.allocate(3 * 8);
            for (int i = 0; i < 3; i++)
            {
                segment.setAtIndex(ValueLayout.JAVA_DOUBLE, i, world.rank() * 0.5 + i);
            }
            world.allreduce(Buf.of(segment, ElementType.DOUBLE), Buf.of(segment, ElementType.DOUBLE), Op.MAX);
            assertEquals(1.0 + 2, segment.getAtIndex(ValueLayout.JAVA_DOUBLE, 2));
        });
    }

    private static void everyCollective(final CollectiveChecks checks, final int size,
        final List<ElementType> types, final boolean everyOp)
    {
        checks.barrier();
        for (final ElementType type : types)
        {
            final int element = type.byteSize();
            for (final int count : around(LOW_SWITCH_BYTES / element))
            {
                checks.bcast(type, count, size - 1);
            }
            for (int root = 0; root < size; root++)
            {
                checks.bcast(type, 5, root);
                checks.bcast(type, (int)(LOW_SWITCH_BYTES / element) + 3, root);
                checks.gather(type, 3, root);
                checks.scatter(type, 3, root);
                checks.gatherv(type, 2, root);
                checks.scatterv(type, 2, root);
            }
            for (final int count : new int[]{0, 1, 100})
            {
                checks.gather(type, count, 0);
                checks.scatter(type, count, size - 1);
                checks.alltoall(type, count);
            }
            for (final int count : around(LOW_SWITCH_BYTES / element / size))
            {
                checks.allgather(type, count);
            }
            for (final int base : new int[]{0, 30})
            {
                checks.gatherv(type, base, size / 2);
                checks.scatterv(type, base, size / 2);
                checks.allgatherv(type, base);
                checks.alltoallv(type, base);
            }
        }
        for (final ElementType type : types)
        {
            if (type == ElementType.BYTE)
            {
                continue;
            }
            final int element = type.byteSize();
            for (final Op op : everyOp ? CollectiveChecks.OPS : java.util.List.of(Op.SUM, Op.MAX))
            {
                if (!CollectiveChecks.applies(op, type))
                {
                    continue;
                }
                for (final int count : around(LOW_SWITCH_BYTES / element))
                {
                    checks.allreduce(type, op, count);
                }
                checks.reduce(type, op, 3, size - 1);
                checks.scan(type, op, 3, true);
                checks.scan(type, op, 3, false);
                checks.reduceScatterBlock(type, op, 2);
            }
            for (int root = 0; root < size; root++)
            {
                checks.reduce(type, Op.SUM, 7, root);
            }
            for (final int count : new int[]{0, 1, 200})
            {
                checks.reduce(type, Op.PROD, count, 0);
                checks.scan(type, Op.SUM, count, true);
                checks.scan(type, Op.SUM, count, false);
            }
            for (final int count : around(LOW_SWITCH_BYTES / element / size))
            {
                checks.reduceScatterBlock(type, Op.SUM, count);
            }
        }
        checks.barrier();
    }

    /**
     * @return 0, 1, a few, and the counts just below, at and above a switch point.
     */
    static int[] around(final long switchCount)
    {
        final int at = (int)Math.max(switchCount, 4);
        return new int[]{0, 1, 3, at - 1, at, at + 1};
    }

    static String[] withTransport(final String transport, final String... options)
    {
        return plus(options, "--javelin.transport=" + transport);
    }

    static String[] plus(final String[] options, final String option)
    {
        final String[] all = java.util.Arrays.copyOf(options, options.length + 1);
        all[options.length] = option;
        return all;
    }
}
