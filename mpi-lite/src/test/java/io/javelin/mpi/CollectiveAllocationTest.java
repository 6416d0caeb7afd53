package io.javelin.mpi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Warm collectives of small messages allocate nothing, each of them on rank counts where its algorithm has
 * the shapes that matter (non-powers of two, trees under another root): the checks that turn mismatched
 * calls into errors (sequence-numbered tags, tracked receives, checked waits) cost the normal path no
 * allocation; requests go back to the engine; request arrays, block layouts, scratch memory and the slices of
 * the buffers are reused. Garbage on this path would bring a young collection, and its pause, every few
 * hundred thousand calls. The algorithms for large messages are checked too, on small ones with their switch
 * points lowered (ring reduce-scatter, ring allgather, scatter + allgather bcast); all but Rabenseifner's
 * allreduce, which still makes its array of block starts, 8 (p' + 1) + 16 bytes (40 on 3 ranks) per call of
 * some 100 us: not worth a less readable algorithm.
 *
 * <p>The rooted collectives (bcast, reduce, gather, scatter and their vector forms) run with a barrier after
 * each call, as the OSU-style benchmarks do. Without it the ranks that only send, whose eager sends complete
 * at once, run ahead of those that receive until they are out of eager credits (64 messages per peer). The
 * root then holds up to that many unexpected messages per peer, which the engine's pool of records is sized
 * for (checked on a reduce without barrier); but a sender out of credits goes by rendezvous, for which the
 * receiver may make a new staging buffer for its heap array (now and then in a bcast on 4 ranks). That is the
 * engine's flow control, not the collective's path.
 *
 * <p>Measured with the JVM's per-thread allocation counter after a warm-up (the JIT settles); the best of a
 * few rounds counts, so a one-off allocation during a round does not decide the result. Not a timing test.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CollectiveAllocationTest
{
    private static final int WARMUP_CALLS = 10_000;
    private static final int MEASURED_CALLS = 2_000;
    private static final int ROUNDS = 5;

    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    @Test
    void shouldAllocateNothingPerBarrier()
    {
        assertNoAllocation(3, "barrier", comm -> comm::barrier);
    }

    @Test
    void shouldAllocateNothingPerSmallAllreduce()
    {
        assertNoAllocation(2, "8-byte allreduce", comm ->
        {
            final Buf send = Buf.of(new float[]{1, 2});
            final Buf receive = Buf.of(new float[2]);
            return () -> comm.allreduce(send, receive, Op.SUM);
        });
    }

    @Test
    void shouldAllocateNothingPerSmallAllreduceOnThreeRanks()
    {
        // the fold step of non-power-of-two rank counts, then recursive doubling
        assertNoAllocation(3, "allreduce on 3 ranks", comm ->
        {
            final Buf send = Buf.of(new long[]{1, 2, 3, 4});
            final Buf receive = Buf.of(new long[4]);
            return () -> comm.allreduce(send, receive, Op.MAX);
        });
    }

    @Test
    void shouldAllocateNothingPerSmallBcastFromRankZero()
    {
        assertNoAllocation(3, "16-byte bcast from rank 0 and barrier", comm ->
        {
            final Buf buf = Buf.of(new long[]{1, 2});
            return () ->
            {
                comm.bcast(buf, 0);
                comm.barrier(); // see the class comment: no rank may run ahead
            };
        });
    }

    @Test
    void shouldAllocateNothingPerSmallBcastFromAnotherRoot()
    {
        // a binomial tree over ranks relative to the root: rank 3 sends to 0 (wrapped) and 1
        assertNoAllocation(4, "16-byte bcast from rank 3 and barrier", comm ->
        {
            final Buf buf = Buf.of(new int[]{1, 2, 3, 4});
            return () ->
            {
                comm.bcast(buf, 3);
                comm.barrier();
            };
        });
    }

    @Test
    void shouldAllocateNothingPerSmallReduce()
    {
        assertNoAllocation(3, "32-byte reduce to rank 1 and barrier", comm ->
        {
            final Buf send = Buf.of(new double[]{1, 2, 3, 4});
            final Buf receive = Buf.of(new double[4]);
            return () ->
            {
                comm.reduce(send, receive, Op.SUM, 1);
                comm.barrier();
            };
        });
    }

    @Test
    void shouldAllocateNothingWhenLeavesRunAheadOfTheRoot()
    {
        // a barrier only every 48 calls: the leaves' sends complete at once, so they run up to 48 calls ahead of
        // the root, which then holds 2 x 48 unexpected messages (more than the 64 records the pool once had, fewer
        // than the leaves' eager credits, beyond which they would go by rendezvous)
        assertNoAllocation(3, "32-byte reduce to rank 1, a barrier every 48", comm ->
        {
            final Buf send = Buf.of(new double[]{1, 2, 3, 4});
            final Buf receive = Buf.of(new double[4]);
            final int[] calls = new int[1];
            return () ->
            {
                comm.reduce(send, receive, Op.SUM, 1);
                if (++calls[0] % 48 == 0)
                {
                    comm.barrier();
                }
            };
        });
    }

    @Test
    void shouldAllocateNothingPerSmallAllgather()
    {
        // Bruck's algorithm on a rank count that is not a power of two
        assertNoAllocation(3, "16-byte allgather", comm ->
        {
            final Buf send = Buf.of(new long[]{comm.rank(), 1});
            final Buf receive = Buf.of(new long[2 * comm.size()]);
            return () -> comm.allgather(send, receive);
        });
    }

    @Test
    void shouldAllocateNothingPerSmallAlltoall()
    {
        assertNoAllocation(3, "alltoall of 8-byte blocks", comm ->
        {
            final Buf send = Buf.of(new int[2 * comm.size()]);
            final Buf receive = Buf.of(new int[2 * comm.size()]);
            return () -> comm.alltoall(send, receive);
        });
    }

    @Test
    void shouldAllocateNothingPerSmallAlltoallOnFourRanks()
    {
        // the XOR pairing of power-of-two rank counts
        assertNoAllocation(4, "alltoall of 8-byte blocks on 4 ranks", comm ->
        {
            final Buf send = Buf.of(new long[comm.size()]);
            final Buf receive = Buf.of(new long[comm.size()]);
            return () -> comm.alltoall(send, receive);
        });
    }

    @Test
    void shouldAllocateNothingPerSmallGather()
    {
        assertNoAllocation(3, "16-byte gather to rank 0 and barrier", comm ->
        {
            final Buf send = Buf.of(new float[]{1, 2, 3, 4});
            final Buf receive = Buf.of(new float[4 * comm.size()]);
            return () ->
            {
                comm.gather(send, receive, 0);
                comm.barrier();
            };
        });
    }

    @Test
    void shouldAllocateNothingPerSmallScatter()
    {
        assertNoAllocation(3, "16-byte scatter from rank 2 and barrier", comm ->
        {
            final Buf send = Buf.of(new long[2 * comm.size()]);
            final Buf receive = Buf.of(new long[2]);
            return () ->
            {
                comm.scatter(send, receive, 2);
                comm.barrier();
            };
        });
    }

    @Test
    void shouldAllocateNothingPerSmallScan()
    {
        assertNoAllocation(3, "16-byte scan", comm ->
        {
            final Buf send = Buf.of(new long[]{1, 2});
            final Buf receive = Buf.of(new long[2]);
            return () -> comm.scan(send, receive, Op.SUM);
        });
    }

    @Test
    void shouldAllocateNothingPerSmallExscan()
    {
        assertNoAllocation(3, "16-byte exscan", comm ->
        {
            final Buf send = Buf.of(new int[]{1, 2, 3, 4});
            final Buf receive = Buf.of(new int[4]);
            return () -> comm.exscan(send, receive, Op.MAX);
        });
    }

    @Test
    void shouldAllocateNothingPerSmallReduceScatterBlock()
    {
        // the small path: an allreduce into scratch memory, then a copy of this rank's block
        assertNoAllocation(3, "reduceScatterBlock of 16-byte blocks", comm ->
        {
            final Buf send = Buf.of(new double[2 * comm.size()]);
            final Buf receive = Buf.of(new double[2]);
            return () -> comm.reduceScatterBlock(send, receive, Op.SUM);
        });
    }

    @Test
    void shouldAllocateNothingPerSmallGatherv()
    {
        assertNoAllocation(3, "gatherv of 8 to 24 bytes to rank 1 and barrier", comm ->
        {
            final int[] counts = {1, 2, 3};
            final int[] displacements = {3, 0, 1};
            final Buf send = Buf.of(new long[counts[comm.rank()]]);
            final Buf receive = Buf.of(new long[6]);
            return () ->
            {
                comm.gatherv(send, receive, counts, displacements, 1);
                comm.barrier();
            };
        });
    }

    @Test
    void shouldAllocateNothingPerSmallScatterv()
    {
        assertNoAllocation(3, "scatterv of 8 to 24 bytes from rank 0 and barrier", comm ->
        {
            final int[] counts = {3, 1, 2};
            final int[] displacements = {0, 3, 4};
            final Buf send = Buf.of(new long[6]);
            final Buf receive = Buf.of(new long[counts[comm.rank()]]);
            return () ->
            {
                comm.scatterv(send, counts, displacements, receive, 0);
                comm.barrier();
            };
        });
    }

    @Test
    void shouldAllocateNothingPerSmallAllgatherv()
    {
        assertNoAllocation(3, "allgatherv of 8 to 24 bytes", comm ->
        {
            final int[] counts = {2, 1, 3};
            final int[] displacements = {0, 2, 3};
            final Buf send = Buf.of(new int[2 * counts[comm.rank()]], 0, counts[comm.rank()]);
            final Buf receive = Buf.of(new int[6]);
            return () -> comm.allgatherv(send, receive, counts, displacements);
        });
    }

    @Test
    void shouldAllocateNothingPerSmallAlltoallv()
    {
        // rank i sends rank j 1 + (i + j) % 2 elements, so each rank's send and receive counts agree
        assertNoAllocation(3, "alltoallv of 8 and 16-byte blocks", comm ->
        {
            final int size = comm.size();
            final int[] counts = new int[size];
            final int[] displacements = new int[size];
            int total = 0;
            for (int r = 0; r < size; r++)
            {
                counts[r] = 1 + (comm.rank() + r) % 2;
                displacements[r] = total;
                total += counts[r];
            }
            final Buf send = Buf.of(new long[total]);
            final Buf receive = Buf.of(new long[total]);
            return () -> comm.alltoallv(send, counts, displacements, receive, counts, displacements);
        });
    }

    @Test
    void shouldAllocateNothingPerRingReduceScatterBlock()
    {
        // the algorithm for large messages on a small one: its switch point lowered to 0
        assertNoAllocation(3, "ring reduceScatterBlock of 16-byte blocks", comm ->
        {
            final Buf send = Buf.of(new long[2 * comm.size()]);
            final Buf receive = Buf.of(new long[2]);
            return () -> comm.reduceScatterBlock(send, receive, Op.SUM);
        }, "--javelin.coll.reducescatter.ring.min.bytes=0");
    }

    @Test
    void shouldAllocateNothingPerRingAllgather()
    {
        assertNoAllocation(3, "ring allgather of 16-byte blocks", comm ->
        {
            final Buf send = Buf.of(new long[2]);
            final Buf receive = Buf.of(new long[2 * comm.size()]);
            return () -> comm.allgather(send, receive);
        }, "--javelin.coll.allgather.ring.min.bytes=0");
    }

    @Test
    void shouldAllocateNothingPerScatterAllgatherBcast()
    {
        assertNoAllocation(3, "scatter + ring allgather bcast of 64 bytes from rank 1 and barrier", comm ->
        {
            final Buf buf = Buf.of(new long[8]);
            return () ->
            {
                comm.bcast(buf, 1);
                comm.barrier();
            };
        }, "--javelin.coll.bcast.scatter.min.bytes=0");
    }

    private static void assertNoAllocation(final int ranks, final String what,
        final java.util.function.Function<Comm, Runnable> collective, final String... options)
    {
        final double[] bytesPerCall = new double[ranks];
        Javelin.runLocal(ranks, javelin ->
        {
            final Comm world = javelin.world();
            final Runnable call = collective.apply(world);
            for (int i = 0; i < WARMUP_CALLS; i++)
            {
                call.run();
            }
            long best = Long.MAX_VALUE;
            for (int round = 0; round < ROUNDS; round++)
            {
                final long before = THREADS.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < MEASURED_CALLS; i++)
                {
                    call.run();
                }
                best = Math.min(best, THREADS.getCurrentThreadAllocatedBytes() - before);
            }
            bytesPerCall[world.rank()] = (double)best / MEASURED_CALLS;
        }, options);
        for (int rank = 0; rank < ranks; rank++)
        {
            assertTrue(bytesPerCall[rank] < 1, "rank " + rank + " allocated " + bytesPerCall[rank] +
                " bytes per " + what + " (ranks 0.." + (ranks - 1) + ": " + Arrays.toString(bytesPerCall) +
                "); none is expected");
        }
    }
}
