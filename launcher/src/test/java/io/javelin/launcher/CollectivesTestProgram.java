package io.javelin.launcher;

import io.javelin.mpi.Buf;
import io.javelin.mpi.Comm;
import io.javelin.mpi.ElementType;
import io.javelin.mpi.Javelin;
import io.javelin.mpi.Op;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A rank of a real multi-process job: runs every collective (small and large, so that both algorithms of each
 * run with the default switch points), in the world and in communicators from split and dup, and exits non-zero
 * (by throwing) on any wrong element. Argument: elements of the large vectors.
 */
public final class CollectivesTestProgram
{
    private CollectivesTestProgram()
    {
    }

    public static void main(final String[] args)
    {
        final int large = Integer.parseInt(args[0]);
        try (Javelin javelin = Javelin.init(args))
        {
            final Comm world = javelin.world();
            for (final int count : new int[]{0, 1, 7, large})
            {
                allreduce(javelin, world, count);
                bcast(world, count);
                gatherScatter(world, count);
                allgatherAlltoall(world, count);
                reductions(world, count);
            }
            final Comm sub = world.split(world.rank() == 0 ? 0 : 1, -world.rank());
            final Comm copy = sub.dup();
            for (final int count : new int[]{3, large})
            {
                allreduce(javelin, sub, count);
                world.barrier();
                bcast(copy, count);
                allgatherAlltoall(sub, count);
                allreduce(javelin, world, count);
            }
            check(sub.size() == (world.rank() == 0 ? 1 : world.size() - 1), "split size " + sub.size());
            check(sub.rank() == (world.rank() == 0 ? 0 : world.size() - 1 - world.rank()), "split rank " +
                sub.rank());
            copy.close();
            sub.close();
            System.out.println("rank " + world.rank() + " of " + world.size() + " collectives OK over " +
                javelin.transportName());
        }
    }

    /** Every rank's contribution: small integers, so that double sums are exact in any order. */
    private static int value(final int rank, final int i)
    {
        return (rank * 37 + i * 11) % 101 - 50;
    }

    private static void allreduce(final Javelin javelin, final Comm comm, final int count)
    {
        final MemorySegment send = javelin.allocate(8L * count);
        final double[] sum = new double[count];
        for (int i = 0; i < count; i++)
        {
            send.setAtIndex(ValueLayout.JAVA_DOUBLE, i, value(comm.rank(), i));
        }
        comm.allreduce(Buf.of(send, ElementType.DOUBLE), Buf.of(sum), Op.SUM);
        final long[] maximum = new long[count];
        final long[] mine = new long[count];
        java.util.Arrays.fill(mine, comm.rank());
        comm.allreduce(Buf.of(mine), Buf.of(maximum), Op.MAX);
        for (int i = 0; i < count; i++)
        {
            double expected = 0;
            for (int r = 0; r < comm.size(); r++)
            {
                expected += value(r, i);
            }
            check(sum[i] == expected, "allreduce SUM element " + i + ": " + sum[i] + " != " + expected);
            check(maximum[i] == comm.size() - 1, "allreduce MAX element " + i);
        }
    }

    private static void bcast(final Comm comm, final int count)
    {
        for (int root = 0; root < comm.size(); root++)
        {
            final int[] data = new int[count];
            if (comm.rank() == root)
            {
                for (int i = 0; i < count; i++)
                {
                    data[i] = value(root, i);
                }
            }
            comm.bcast(Buf.of(data), root);
            for (int i = 0; i < count; i++)
            {
                check(data[i] == value(root, i), "bcast from " + root + " element " + i);
            }
        }
    }

    private static void gatherScatter(final Comm comm, final int count)
    {
        final int size = comm.size();
        final int root = size - 1;
        final float[] mine = new float[count];
        for (int i = 0; i < count; i++)
        {
            mine[i] = value(comm.rank(), i);
        }
        final float[] all = new float[count * size];
        comm.gather(Buf.of(mine), comm.rank() == root ? Buf.of(all) : null, root);
        final float[] back = new float[count];
        comm.scatter(comm.rank() == root ? Buf.of(all) : null, Buf.of(back), root);
        check(java.util.Arrays.equals(mine, back), "gather then scatter gives each rank its block back");

        final int[] counts = new int[size];
        final int[] displacements = new int[size];
        for (int r = 0; r < size; r++)
        {
            counts[r] = Math.min(count, r + 1);
            displacements[r] = r * count;
        }
        final float[] gathered = new float[count * size];
        comm.gatherv(Buf.of(mine, 0, counts[comm.rank()]), Buf.of(gathered), counts, displacements, 0);
        if (comm.rank() == 0)
        {
            for (int r = 0; r < size; r++)
            {
                for (int i = 0; i < counts[r]; i++)
                {
                    check(gathered[r * count + i] == value(r, i), "gatherv from " + r + " element " + i);
                }
            }
        }
    }

    private static void allgatherAlltoall(final Comm comm, final int count)
    {
        final int size = comm.size();
        final long[] mine = new long[count];
        final long[] blocks = new long[count * size];
        for (int i = 0; i < count; i++)
        {
            mine[i] = value(comm.rank(), i);
        }
        comm.allgather(Buf.of(mine), Buf.of(blocks));
        final long[] exchanged = new long[count * size];
        final long[] outgoing = new long[count * size];
        for (int r = 0; r < size; r++)
        {
            for (int i = 0; i < count; i++)
            {
                check(blocks[r * count + i] == value(r, i), "allgather from " + r + " element " + i);
                outgoing[r * count + i] = 1000L * comm.rank() + r + i;
            }
        }
        comm.alltoall(Buf.of(outgoing), Buf.of(exchanged));
        for (int r = 0; r < size; r++)
        {
            for (int i = 0; i < count; i++)
            {
                check(exchanged[r * count + i] == 1000L * r + comm.rank() + i, "alltoall from " + r);
            }
        }
    }

    private static void reductions(final Comm comm, final int count)
    {
        final int size = comm.size();
        final int[] contribution = new int[count * size];
        for (int i = 0; i < contribution.length; i++)
        {
            contribution[i] = value(comm.rank(), i);
        }
        final int[] block = new int[count];
        comm.reduceScatterBlock(Buf.of(contribution), Buf.of(block), Op.SUM);
        final int[] prefix = new int[count];
        comm.scan(Buf.of(contribution, 0, count), Buf.of(prefix), Op.SUM);
        final int[] reduced = new int[count];
        comm.reduce(Buf.of(contribution, 0, count), Buf.of(reduced), Op.BXOR, 1 % size);
        for (int i = 0; i < count; i++)
        {
            int total = 0;
            int upToMe = 0;
            int xor = 0;
            for (int r = 0; r < size; r++)
            {
                total += value(r, comm.rank() * count + i);
                upToMe += r <= comm.rank() ? value(r, i) : 0;
                xor ^= value(r, i);
            }
            check(block[i] == total, "reduceScatterBlock element " + i);
            check(prefix[i] == upToMe, "scan element " + i);
            check(comm.rank() != 1 % size || reduced[i] == xor, "reduce BXOR element " + i);
        }
    }

    private static void check(final boolean condition, final String what)
    {
        if (!condition)
        {
            throw new IllegalStateException("check failed: " + what);
        }
    }
}
