package io.javelin.examples;

import io.javelin.mpi.Buf;
import io.javelin.mpi.Comm;
import io.javelin.mpi.Javelin;

import java.io.PrintStream;
import java.lang.foreign.MemorySegment;

/**
 * Ranks 0 and 1 bounce messages of a few sizes back and forth; rank 0 prints the average round trip.
 * (For careful measurements use {@code javelin pingpong}, the OSU-style benchmark.)
 *
 * <pre>
 * javelin run -n 2 -cp javelin-examples.jar io.javelin.examples.PingPong
 * </pre>
 */
public final class PingPong
{
    /** Message sizes in bytes: small ones go eagerly, large ones by rendezvous (no copy). */
    public static final int[] SIZES = {8, 1024, 64 * 1024, 1024 * 1024};
    private static final int ROUNDS = 50;
    private static final int TAG = 1;

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
     * @return average round trip in microseconds per size (empty at ranks other than 0 and 1).
     */
    public static double[] run(final Javelin javelin, final PrintStream out)
    {
        final Comm world = javelin.world();
        final int rank = world.rank();
        if (world.size() < 2)
        {
            throw new IllegalStateException("PingPong needs 2 ranks: javelin run -n 2 ...");
        }
        if (rank > 1)
        {
            return new double[0]; // further ranks have nothing to do
        }
        // Memory from allocate() is registered with the network once: messages move without copies.
        final MemorySegment memory = javelin.allocate(SIZES[SIZES.length - 1]);
        final int peer = 1 - rank;
        final double[] roundTripUs = new double[SIZES.length];
        for (int s = 0; s < SIZES.length; s++)
        {
            final Buf message = Buf.of(memory.asSlice(0, SIZES[s])); // the first SIZES[s] bytes
            final long startNs = System.nanoTime();
            for (int round = 0; round < ROUNDS; round++)
            {
                if (rank == 0)
                {
                    world.send(message, peer, TAG);
                    world.recv(message, peer, TAG);
                }
                else
                {
                    world.recv(message, peer, TAG);
                    world.send(message, peer, TAG);
                }
            }
            roundTripUs[s] = (System.nanoTime() - startNs) / 1e3 / ROUNDS;
            if (rank == 0)
            {
                out.printf("%8d bytes: %10.2f us round trip%n", SIZES[s], roundTripUs[s]);
            }
        }
        return roundTripUs;
    }
}
