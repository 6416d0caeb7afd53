package io.javelin.launcher;

import io.javelin.mpi.Buf;
import io.javelin.mpi.Comm;
import io.javelin.mpi.Javelin;
import io.javelin.mpi.Op;
import io.javelin.mpi.Request;

/**
 * A rank of a job started by {@code srun} (no javelin run): checks that Javelin's rank and size are
 * Slurm's, then point-to-point (a ring of small and rendezvous-sized messages, all-to-one with wildcards)
 * and collectives (allreduce, bcast, allgather), and exits non-zero (by throwing) on any wrong result.
 * Argument: elements of the large messages. With {@code -Djavelin.test.exitRank=R} rank R exits with code 3
 * before joining.
 */
public final class SlurmTestProgram
{
    /** This rank exits with code 3 before joining, so that the others must notice it is missing. */
    static final String EXIT_RANK_PROP_NAME = "javelin.test.exitRank";

    private SlurmTestProgram()
    {
    }

    public static void main(final String[] args)
    {
        final int large = Integer.parseInt(args[0]);
        if (System.getenv("SLURM_PROCID").equals(System.getProperty(EXIT_RANK_PROP_NAME)))
        {
            System.exit(3);
        }
        try (Javelin javelin = Javelin.init(args))
        {
            final Comm world = javelin.world();
            final int rank = world.rank();
            final int size = world.size();
            final String procId = System.getenv("SLURM_PROCID");
            final String tasks = System.getenv("SLURM_STEP_NUM_TASKS");
            check(String.valueOf(rank).equals(procId), "rank " + rank + " but SLURM_PROCID=" + procId);
            check(String.valueOf(size).equals(tasks), "size " + size + " but SLURM_STEP_NUM_TASKS=" + tasks);

            for (final int count : new int[]{1, large})
            {
                final int[] out = new int[count];
                final int[] in = new int[count];
                for (int i = 0; i < count; i++)
                {
                    out[i] = rank * 1_000_003 + i;
                }
                final int left = (rank + size - 1) % size;
                world.sendrecv(Buf.of(out), (rank + 1) % size, 7, Buf.of(in), left, 7);
                for (int i = 0; i < count; i++)
                {
                    check(in[i] == left * 1_000_003 + i, "ring of " + count + ": element " + i + " is " + in[i]);
                }
            }
            allToOne(world);

            final long[] sum = new long[large];
            final long[] mine = new long[large];
            java.util.Arrays.fill(mine, rank + 1);
            world.allreduce(Buf.of(mine), Buf.of(sum), Op.SUM);
            check(sum[large - 1] == (long)size * (size + 1) / 2 && sum[0] == sum[large - 1], "allreduce " + sum[0]);

            final double[] data = new double[large];
            if (rank == size - 1)
            {
                java.util.Arrays.fill(data, 2.5);
            }
            world.bcast(Buf.of(data), size - 1);
            check(data[0] == 2.5 && data[large - 1] == 2.5, "bcast " + data[0]);

            final int[] all = new int[size];
            world.allgather(Buf.of(new int[]{rank * 10}), Buf.of(all));
            for (int r = 0; r < size; r++)
            {
                check(all[r] == r * 10, "allgather element " + r + " is " + all[r]);
            }
            world.barrier();
            System.out.println("slurm rank " + rank + " of " + size + " OK over " + javelin.transportName());
        }
    }

    private static void allToOne(final Comm world)
    {
        if (world.rank() == 0)
        {
            long total = 0;
            final int[] value = new int[1];
            for (int i = 1; i < world.size(); i++)
            {
                world.recv(Buf.of(value), Comm.ANY_SOURCE, 3);
                total += value[0];
            }
            final long expected = (long)world.size() * (world.size() - 1) / 2;
            check(total == expected, "all-to-one: total " + total + " != " + expected);
        }
        else
        {
            Request.awaitAll(world.isend(Buf.of(new int[]{world.rank()}), 0, 3));
        }
    }

    private static void check(final boolean condition, final String what)
    {
        if (!condition)
        {
            throw new AssertionError(what);
        }
    }
}
