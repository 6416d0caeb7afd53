package io.javelin.examples;

import io.javelin.mpi.Buf;
import io.javelin.mpi.Comm;
import io.javelin.mpi.Javelin;

import java.io.PrintStream;

/**
 * Passes a token once around a ring of ranks: 0 to 1, 1 to 2, ..., the last back to 0. Each rank adds its
 * rank number, so rank 0 gets back 1 + 2 + ... + (size - 1).
 *
 * <pre>
 * javelin run -n 4 -cp javelin-examples.jar io.javelin.examples.Ring
 * </pre>
 */
public final class Ring
{
    private static final int TAG = 7; // any number from 0 up; sender and receiver must agree on it

    /** @param args program arguments; {@code --javelin.key=value} ones configure Javelin. */
    public static void main(final String[] args)
    {
        try (Javelin javelin = Javelin.init(args))
        {
            run(javelin, System.out);
        }
    }

    /**
     * @param javelin this rank's handle.
     * @param out     where to print.
     * @return the token as this rank last saw it (at rank 0: the sum of all ranks).
     */
    public static int run(final Javelin javelin, final PrintStream out)
    {
        final Comm world = javelin.world();
        final int rank = world.rank();
        final int size = world.size();
        if (size < 2)
        {
            throw new IllegalStateException("a ring needs 2 ranks or more: javelin run -n 2 ...");
        }
        final int next = (rank + 1) % size;
        final int previous = (rank + size - 1) % size;
        // A message is a view of memory (Buf); here, of a one-element array that holds the token.
        final int[] token = new int[1];
        if (rank == 0)
        {
            // Rank 0 starts the token, then waits for it to come round.
            world.send(Buf.of(token), next, TAG);
            world.recv(Buf.of(token), previous, TAG);
            out.println("rank 0: the token came back as " + token[0] + " after visiting " + size + " ranks");
        }
        else
        {
            // Everyone else waits for the token, adds to it and passes it on.
            world.recv(Buf.of(token), previous, TAG);
            token[0] += rank;
            world.send(Buf.of(token), next, TAG);
        }
        return token[0];
    }
}
