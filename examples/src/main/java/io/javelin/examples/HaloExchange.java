package io.javelin.examples;

import io.javelin.mpi.Buf;
import io.javelin.mpi.Comm;
import io.javelin.mpi.Javelin;

import java.io.PrintStream;

/**
 * A 1-D domain split into blocks, one per rank, smoothed by a 3-point stencil. Each step, ranks swap their
 * edge cells with their neighbours ("halo exchange") into ghost cells, then update their own cells.
 * Rank 0 prints a checksum that is the same for any number of ranks.
 *
 * <pre>
 * javelin run -n 3 -cp javelin-examples.jar io.javelin.examples.HaloExchange
 * </pre>
 */
public final class HaloExchange
{
    /** Cells of the whole domain (at least the number of ranks). */
    public static final int CELLS = 1000;
    /** Stencil steps. */
    public static final int STEPS = 10;
    private static final int NONE = -1; // no neighbour on that side (MPI's MPI_PROC_NULL)
    private static final int TAG = 0;

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
     * @param out     where rank 0 prints.
     * @return at rank 0 the sum of all cells after {@link #STEPS} steps; elsewhere this rank's part of it.
     */
    public static double run(final Javelin javelin, final PrintStream out)
    {
        final Comm world = javelin.world();
        final int rank = world.rank();
        final int size = world.size();
        // Rank r owns n cells starting at global cell 'first'; the first CELLS % size ranks get one extra.
        final int n = CELLS / size + (rank < CELLS % size ? 1 : 0);
        final int first = rank * (CELLS / size) + Math.min(rank, CELLS % size);
        // u[1 .. n] are my cells; u[0] and u[n + 1] are ghosts: copies of the neighbours' edge cells, or 0
        // beyond the ends of the domain.
        double[] u = new double[n + 2];
        double[] next = new double[n + 2];
        for (int i = 1; i <= n; i++)
        {
            u[i] = (first + i - 1) % 7; // any start values
        }
        final int left = rank > 0 ? rank - 1 : NONE;
        final int right = rank < size - 1 ? rank + 1 : NONE;
        for (int step = 0; step < STEPS; step++)
        {
            // Send my first cell left while my right ghost comes from the right; then the mirror image.
            exchange(world, Buf.of(u, 1, 1), left, Buf.of(u, n + 1, 1), right);
            exchange(world, Buf.of(u, n, 1), right, Buf.of(u, 0, 1), left);
            for (int i = 1; i <= n; i++)
            {
                next[i] = (u[i - 1] + 2 * u[i] + u[i + 1]) / 4;
            }
            final double[] swap = u;
            u = next;
            next = swap;
        }
        // Values stay multiples of 1/4^STEPS and small, so every sum here is exact in a double: the
        // checksum does not depend on how the cells were split among ranks. Rank 0 collects the parts.
        final double[] part = {0};
        for (int i = 1; i <= n; i++)
        {
            part[0] += u[i];
        }
        if (rank != 0)
        {
            world.send(Buf.of(part), 0, TAG);
            return part[0];
        }
        double checksum = part[0];
        for (int r = 1; r < size; r++)
        {
            world.recv(Buf.of(part), r, TAG);
            checksum += part[0];
        }
        out.printf("checksum after %d steps on %d ranks: %.6f%n", STEPS, size, checksum);
        return checksum;
    }

    /** Sends to dest while receiving from source, like MPI_Sendrecv; a side that is NONE is skipped. */
    private static void exchange(final Comm world, final Buf send, final int dest, final Buf receive, final int source)
    {
        if (dest != NONE && source != NONE)
        {
            world.sendrecv(send, dest, TAG, receive, source, TAG);
        }
        else if (dest != NONE)
        {
            world.send(send, dest, TAG);
        }
        else if (source != NONE)
        {
            world.recv(receive, source, TAG);
        }
    }
}
