package io.javelin.launcher;

import io.javelin.mpi.Buf;
import io.javelin.mpi.Comm;
import io.javelin.mpi.Javelin;
import io.javelin.mpi.Op;

import java.util.Arrays;

/**
 * A rank of a job started by {@code mpirun} (PMIx, see {@link MpirunPmixTest}) or {@code javelin run}. Modes:
 * <ul>
 *   <li>{@code ok}: point-to-point (small and rendezvous-sized) and collectives; prints
 *       {@code rank R of N OK over T} or throws on a wrong result;</li>
 *   <li>{@code fail F}: rank F throws from main while the others wait to receive from it; the job must abort.</li>
 * </ul>
 */
public final class PmixJobTestProgram
{
    private PmixJobTestProgram()
    {
    }

    public static void main(final String[] args)
    {
        if ("fail".equals(args[0]))
        {
            failOneRank(Integer.parseInt(args[1]), args);
            return;
        }
        try (Javelin javelin = Javelin.init(args))
        {
            final Comm world = javelin.world();
            final int rank = world.rank();
            final int size = world.size();
            final int[] token = new int[1];
            world.sendrecv(Buf.of(new int[]{rank}), (rank + 1) % size, 0, Buf.of(token), (rank + size - 1) % size, 0);
            check(token[0] == (rank + size - 1) % size, "ring: got " + token[0]);

            final double[] large = new double[1 << 17];
            final double[] received = new double[large.length];
            Arrays.fill(large, rank + 0.5);
            world.sendrecv(Buf.of(large), (rank + 1) % size, 1, Buf.of(received), (rank + size - 1) % size, 1);
            check(received[0] == (rank + size - 1) % size + 0.5 && received[received.length - 1] == received[0],
                "rendezvous ring: got " + received[0]);

            final long[] sum = new long[1];
            world.allreduce(Buf.of(new long[]{rank}), Buf.of(sum), Op.SUM);
            check(sum[0] == (long)size * (size - 1) / 2, "allreduce: got " + sum[0]);

            final int[] root = {rank == size - 1 ? 4242 : 0};
            world.bcast(Buf.of(root), size - 1);
            check(root[0] == 4242, "bcast: got " + root[0]);

            final int[] ranks = new int[size];
            world.allgather(Buf.of(new int[]{rank * 3}), Buf.of(ranks));
            for (int r = 0; r < size; r++)
            {
                check(ranks[r] == r * 3, "allgather: got " + Arrays.toString(ranks));
            }
            world.barrier();
            System.out.println("rank " + rank + " of " + size + " OK over " + javelin.transportName());
        }
    }

    /** No try-with-resources on purpose: Javelin.close's barrier would wait for the ranks waiting here. */
    private static void failOneRank(final int failing, final String[] args)
    {
        final Javelin javelin = Javelin.init(args);
        final Comm world = javelin.world();
        if (world.rank() == failing)
        {
            throw new IllegalStateException("rank " + failing + " fails on purpose");
        }
        world.recv(Buf.of(new int[1]), failing, 0);
        javelin.close();
    }

    private static void check(final boolean condition, final String what)
    {
        if (!condition)
        {
            throw new IllegalStateException(what);
        }
    }
}
