package io.javelin.examples;

import io.javelin.mpi.Comm;
import io.javelin.mpi.Javelin;

/**
 * The smallest Javelin program: every rank says who it is.
 *
 * <pre>
 * javelin run -n 4 -cp javelin-examples.jar io.javelin.examples.Hello
 * </pre>
 */
public final class Hello
{
    /** @param args program arguments; {@code --javelin.key=value} ones configure Javelin. */
    public static void main(final String[] args)
    {
        // init joins the job the launcher started (javelin run, srun, mpirun); with no launcher it is a job of
        // one rank. Closing (at the end of try) is like MPI_Finalize: every rank waits for the others to get there.
        try (Javelin javelin = Javelin.init(args))
        {
            System.out.println(greeting(javelin));
        }
    }

    /**
     * @param javelin this rank's handle.
     * @return e.g. "Hello from rank 2 of 4 (transport: tcp)".
     */
    public static String greeting(final Javelin javelin)
    {
        // world() is the communicator of every rank in the job; ranks are numbered 0 .. size() - 1.
        final Comm world = javelin.world();
        return "Hello from rank " + world.rank() + " of " + world.size() +
            " (transport: " + javelin.transportName() + ")";
    }
}
