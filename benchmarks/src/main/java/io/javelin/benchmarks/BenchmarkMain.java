package io.javelin.benchmarks;

import io.javelin.mpi.Javelin;

/**
 * What the {@code main} of every benchmark does: join the job, run the body, leave the job, and turn the
 * outcome into the process exit status (0 success, 2 usage error, 1 failure).
 */
final class BenchmarkMain
{
    /** Exit status for bad arguments, as picocli and most Unix tools use. */
    static final int USAGE_EXIT_STATUS = 2;
    /** Exit status for any other failure. */
    static final int FAILURE_EXIT_STATUS = 1;

    private BenchmarkMain()
    {
    }

    /**
     * Runs a benchmark as one rank of a job and exits the JVM with a non-zero status if it fails.
     *
     * @param args      the program arguments.
     * @param benchmark the body.
     */
    static void run(final String[] args, final Benchmark benchmark)
    {
        final Javelin javelin = Javelin.init(args);
        try
        {
            benchmark.run(javelin, args, System.out);
        }
        catch (final UsageException ex)
        {
            // Every rank sees the same arguments and job size and so fails alike: they can still leave
            // together (close is a barrier), and rank 0 alone explains.
            if (javelin.world().rank() == 0)
            {
                System.err.println(ex.getMessage());
                System.err.print(ex.usage());
            }
            javelin.close();
            System.exit(USAGE_EXIT_STATUS);
        }
        catch (final RuntimeException | Error ex)
        {
            // The peer may be blocked in a receive that will never match: leaving through close (a barrier)
            // could hang, so exit at once and let the launcher stop the other ranks.
            System.err.println("rank " + javelin.world().rank() + " failed: " + ex);
            ex.printStackTrace();
            System.exit(FAILURE_EXIT_STATUS);
        }
        javelin.close();
    }
}
