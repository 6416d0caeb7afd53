package io.javelin.mpi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * split, dup and close: groups, ordering, rank translation, separate contexts, and collectives in new
 * communicators running while other groups run theirs and the world runs its own.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CommunicatorTest
{
    @ParameterizedTest
    @ValueSource(ints = {1, 5, 8})
    void shouldSplitIntoUnevenGroupsOrderedByKeyThenRank(final int ranks)
    {
        Javelin.runLocal(ranks, javelin ->
        {
            final Comm world = javelin.world();
            final int rank = world.rank();
            final int color = rank == ranks - 1 && ranks > 1 ? Comm.UNDEFINED : rank % 3;
            final int key = (rank * 7) % 4;
            final Comm sub = world.split(color, key);
            if (color == Comm.UNDEFINED)
            {
                assertNull(sub);
                return;
            }
            final List<Integer> members = new ArrayList<>();
            for (int r = 0; r < ranks - (ranks > 1 ? 1 : 0); r++)
            {
                if (r % 3 == color)
                {
                    members.add(r);
                }
            }
            members.sort(Comparator.<Integer>comparingInt(r -> (r * 7) % 4).thenComparingInt(r -> r));
            assertEquals(members.size(), sub.size());
            assertEquals(members.indexOf(rank), sub.rank());

            final int[] worldRanks = new int[sub.size()];
            sub.allgather(Buf.of(new int[]{rank}), Buf.of(worldRanks));
            assertArrayEquals(members.stream().mapToInt(Integer::intValue).toArray(), worldRanks);
            sub.close();
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 7})
    void shouldRunCollectivesInNewCommunicatorsWhileTheWorldRunsItsOwn(final int ranks)
    {
        Javelin.runLocal(ranks, javelin ->
        {
            final Comm world = javelin.world();
            final int color = world.rank() < 3 ? 0 : 1;
            final Comm sub = world.split(color, world.size() - world.rank());
            final Comm copy = sub.dup();
            try (Arena arena = Arena.ofShared())
            {
                final CollectiveChecks inSub = new CollectiveChecks(sub, arena, 10 + color);
                final CollectiveChecks inCopy = new CollectiveChecks(copy, arena, 20 + color);
                final CollectiveChecks inWorld = new CollectiveChecks(world, arena, 30);
                for (int round = 0; round < 6; round++)
                {
                    // the groups run different sequences, so their ranks reach the world calls at different times
                    for (int extra = 0; extra < (color == 0 ? 3 : 1); extra++)
                    {
                        inSub.allreduce(ElementType.DOUBLE, Op.SUM, 100 + 300 * extra);
                        inCopy.bcast(ElementType.INT, 50, extra % copy.size());
                    }
                    inWorld.allreduce(ElementType.LONG, Op.MAX, 33);
                    inSub.allgather(ElementType.INT, 7);
                    inCopy.alltoall(ElementType.LONG, 3);
                    inWorld.bcast(ElementType.BYTE, 1000, round % world.size());
                    inSub.scan(ElementType.INT, Op.SUM, 5, false);
                    inSub.reduceScatterBlock(ElementType.FLOAT, Op.MIN, 4);
                    inWorld.gather(ElementType.INT, 2, world.size() - 1);
                }
            }
            copy.close();
            sub.close();
        }, CollectivesTest.LOW_SWITCH_POINTS);
    }

    @Test
    void shouldTranslateRanksForPointToPointAndKeepTrafficApart()
    {
        Javelin.runLocal(5, javelin ->
        {
            final Comm world = javelin.world();
            // odd world ranks in reverse order: world 3 is rank 0, world 1 is rank 1
            final Comm odd = world.split(world.rank() % 2, -world.rank());
            final int[] anyWorld = new int[1];
            final Request worldReceive = world.irecv(Buf.of(anyWorld), Comm.ANY_SOURCE, Comm.ANY_TAG);
            final int right = (odd.rank() + 1) % odd.size();
            final int left = (odd.rank() - 1 + odd.size()) % odd.size();
            odd.send(Buf.of(new int[]{odd.rank()}), right, 7);
            final Status probed = odd.probe(Comm.ANY_SOURCE, 7);
            assertEquals(left, probed.source());
            final int[] received = new int[1];
            final Status status = odd.recv(Buf.of(received), Comm.ANY_SOURCE, Comm.ANY_TAG);
            assertEquals(left, status.source(), "source in the communicator's ranks");
            assertEquals(left, received[0]);
            assertEquals(7, status.tag());
            odd.barrier();
            assertFalse(worldReceive.test(), "a world receive matched a message of another communicator");
            world.barrier();
            world.send(Buf.of(new int[]{100 + world.rank()}), (world.rank() + 1) % world.size(), 3);
            final Status worldStatus = worldReceive.await();
            assertEquals((world.rank() + 4) % 5, worldStatus.source());
            assertEquals(100 + worldStatus.source(), anyWorld[0]);
            assertThrows(JavelinException.class, () -> odd.send(Buf.of(new int[1]), odd.size(), 0),
                "ranks beyond the communicator");
            odd.close();
        });
    }

    @Test
    void shouldGiveDuplicatesTheirOwnContext()
    {
        Javelin.runLocal(3, javelin ->
        {
            final Comm world = javelin.world();
            final Comm copy = world.dup();
            assertEquals(world.rank(), copy.rank());
            assertEquals(world.size(), copy.size());
            final int next = (world.rank() + 1) % 3;
            final int previous = (world.rank() + 2) % 3;
            copy.send(Buf.of(new int[]{2}), next, 1);
            world.send(Buf.of(new int[]{1}), next, 1);
            final int[] value = new int[1];
            world.recv(Buf.of(value), previous, 1);
            assertEquals(1, value[0], "the world message, although the duplicate's came first");
            copy.recv(Buf.of(value), previous, 1);
            assertEquals(2, value[0]);

            final Comm nested = copy.split(0, 0).dup().split(world.rank() == 0 ? 1 : 0, 0);
            assertEquals(world.rank() == 0 ? 1 : 2, nested.size());
            final long[] sum = new long[1];
            nested.allreduce(Buf.of(new long[]{world.rank()}), Buf.of(sum), Op.SUM);
            assertEquals(world.rank() == 0 ? 0 : 3, sum[0]);
            copy.close();
        });
    }

    @Test
    void shouldRejectUseAfterCloseButNotCloseTheWorld()
    {
        Javelin.runLocal(2, javelin ->
        {
            final Comm world = javelin.world();
            final Comm copy = world.dup();
            copy.close();
            copy.close();
            final JavelinException ex = assertThrows(JavelinException.class, copy::barrier);
            assertEquals(ErrorClass.INVALID_ARGUMENT, ex.errorClass());
            assertTrue(ex.getMessage().contains("closed"), ex.getMessage());
            assertThrows(JavelinException.class, () -> copy.send(Buf.of(new byte[1]), 0, 0));
            assertEquals(ErrorClass.INVALID_ARGUMENT, assertThrows(JavelinException.class, world::close).errorClass());
            world.barrier();
        });
    }

    @Test
    void shouldSplitAndReduceOverTcp()
    {
        Javelin.runLocal(4, javelin ->
        {
            final Comm world = javelin.world();
            final Comm pair = world.split(world.rank() / 2, 0);
            assertNotNull(pair);
            final int[] sum = new int[1000];
            final int[] mine = new int[1000];
            java.util.Arrays.fill(mine, world.rank());
            pair.allreduce(Buf.of(mine), Buf.of(sum), Op.SUM);
            final int expected = world.rank() / 2 * 4 + 1;
            for (final int value : sum)
            {
                assertEquals(expected, value);
            }
            pair.close();
        }, "--javelin.transport=tcp");
    }
}
