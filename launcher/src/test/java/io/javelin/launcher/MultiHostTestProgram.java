package io.javelin.launcher;

import io.javelin.mpi.Buf;
import io.javelin.mpi.Comm;
import io.javelin.mpi.Javelin;
import io.javelin.mpi.Op;

import java.util.List;

/**
 * A rank of a job on several hosts ({@link SshMultiHostTest}). Arguments: {@code ok MARKER} runs point-to-point
 * and collectives, checks every result (throws on a wrong one) and checks that no process shows the job secret
 * on its command line; {@code fail RANK MARKER} makes that rank exit with 3 before joining, so the others wait
 * in {@code init} until the launcher stops them. MARKER only tags the processes for the test.
 */
public final class MultiHostTestProgram
{
    private static final int LARGE_INTS = 512 * 1024;

    private MultiHostTestProgram()
    {
    }

    public static void main(final String[] args)
    {
        final int rankFromLauncher = Integer.parseInt(System.getenv("JAVELIN_RANK"));
        if ("fail".equals(args[0]) && rankFromLauncher == Integer.parseInt(args[1]))
        {
            System.err.println("rank " + rankFromLauncher + " fails on purpose");
            System.exit(3);
        }
        try (Javelin javelin = Javelin.init(args))
        {
            final Comm world = javelin.world();
            final int rank = world.rank();
            final int size = world.size();

            final int[] received = new int[1];
            world.sendrecv(Buf.of(new int[]{rank}), (rank + 1) % size, 0,
                Buf.of(received), (rank + size - 1) % size, 0);
            check(received[0] == (rank + size - 1) % size, "ring: got " + received[0]);

            // a rendezvous-sized message from the first rank to the last (on the other host)
            final int[] large = new int[LARGE_INTS];
            if (0 == rank)
            {
                for (int i = 0; i < large.length; i++)
                {
                    large[i] = i * 7 + 1;
                }
                world.send(Buf.of(large), size - 1, 1);
            }
            else if (size - 1 == rank)
            {
                world.recv(Buf.of(large), 0, 1);
                for (int i = 0; i < large.length; i++)
                {
                    check(large[i] == i * 7 + 1, "large message: element " + i + " is " + large[i]);
                }
            }

            final long[] sum = new long[1];
            world.allreduce(Buf.of(new long[]{rank + 1}), Buf.of(sum), Op.SUM);
            check(sum[0] == (long)size * (size + 1) / 2, "allreduce: " + sum[0]);

            final double[] broadcast = new double[1000];
            if (0 == rank)
            {
                java.util.Arrays.fill(broadcast, 2.5);
            }
            world.bcast(Buf.of(broadcast), 0);
            check(broadcast[999] == 2.5 && broadcast[0] == 2.5, "bcast: " + broadcast[0]);
            world.barrier();

            if (0 == rank)
            {
                checkSecretHidden(System.getenv("JAVELIN_JOB_SECRET"));
            }
            System.out.println("rank " + rank + " of " + size + " on " + System.getenv("JAVELIN_TCP_BIND") +
                " local " + System.getenv("JAVELIN_LOCAL_RANK") + " of " + System.getenv("JAVELIN_LOCAL_SIZE") +
                " OK over " + javelin.transportName());
        }
    }

    private static void checkSecretHidden(final String secret)
    {
        check(null != secret && secret.length() == 16, "job secret " + secret);
        final List<String> showing = ProcessHandle.allProcesses()
            .map((process) -> process.info().commandLine().orElse(""))
            .filter((commandLine) -> commandLine.contains(secret))
            .toList();
        check(showing.isEmpty(), "the job secret is on a command line: " + showing);
    }

    private static void check(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new AssertionError(message);
        }
    }
}
