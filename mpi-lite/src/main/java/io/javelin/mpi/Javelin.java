package io.javelin.mpi;

import io.javelin.messaging.Configuration;
import io.javelin.messaging.MessagingEngine;
import io.javelin.messaging.bootstrap.Bootstrap;
import io.javelin.messaging.bootstrap.Bootstraps;
import io.javelin.messaging.bootstrap.LocalExchange;
import io.javelin.mpi.internal.Communicator;
import io.javelin.mpi.internal.collective.CollectiveConfiguration;

import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A rank's membership of a job: the entry point of the API.
 *
 * <pre>{@code
 * try (Javelin javelin = Javelin.init(args)) {
 *     Comm world = javelin.world();
 *     ...
 * }
 * }</pre>
 *
 * <p>Threading: a Javelin instance and its communicators are used by one thread at a time (the rank's);
 * progress happens inside blocking calls and {@link Request#test()}.
 */
public final class Javelin implements AutoCloseable
{
    private final Bootstrap bootstrap;
    private final MessagingEngine engine;
    private final Communicator world;
    private JobAbortHandler abortHandler;
    private boolean closed;

    private Javelin(final Bootstrap bootstrap, final Map<String, String> settings)
    {
        this.bootstrap = bootstrap;
        final CollectiveConfiguration collectives;
        try
        {
            collectives = CollectiveConfiguration.from(settings);
            this.engine = MessagingEngine.start(bootstrap, settings);
        }
        catch (final IllegalArgumentException | IllegalStateException ex)
        {
            abortAndClose(bootstrap, ex);
            throw new JavelinException(ErrorClass.INVALID_ARGUMENT, ex.getMessage(), ex);
        }
        catch (final RuntimeException ex)
        {
            abortAndClose(bootstrap, ex);
            throw new JavelinException(ErrorClass.TRANSPORT, ex.getMessage(), ex);
        }
        this.world = Communicator.world(engine, collectives);
    }

    /**
     * A rank that cannot start tells the launcher, so that the others stop instead of waiting for it.
     */
    private static void abortAndClose(final Bootstrap bootstrap, final RuntimeException ex)
    {
        try
        {
            bootstrap.abort(1, "rank " + bootstrap.rank() + " could not start: " + ex.getMessage());
        }
        finally
        {
            bootstrap.close();
        }
    }

    /**
     * Joins the job described by the environment ({@code javelin run}, PMIx: {@code mpirun} or
     * {@code srun --mpi=pmix}; later Slurm); with no launcher around, a job of one rank. Options such as
     * {@code --javelin.transport=tcp} may be given in args (other arguments are ignored) or as system properties.
     *
     * <p>Until {@link #close()}, an exception that escapes the calling thread aborts the job (see
     * {@link JobAbortHandler}): the other ranks are stopped and this process exits with code 1.
     *
     * @param args program arguments.
     * @return this rank's handle; close it at the end (like MPI_Finalize).
     */
    public static Javelin init(final String... args)
    {
        final Javelin javelin = new Javelin(Bootstraps.fromEnvironment(), settings(parseArguments(args)));
        javelin.abortHandler = JobAbortHandler.install(javelin.bootstrap);
        return javelin;
    }

    /**
     * Runs ranks as threads of this JVM, each with its own Javelin (over the in-JVM transport unless
     * {@code javelin.transport} says otherwise); returns when all return. If a rank fails, its Javelin is
     * closed so that ranks waiting for it fail too, and the first failure is rethrown.
     *
     * @param ranks number of ranks.
     * @param main  the body of every rank.
     */
    public static void runLocal(final int ranks, final RankMain main)
    {
        runLocal(ranks, main, new String[0]);
    }

    /**
     * As {@link #runLocal(int, RankMain)}, with options for every rank, e.g. {@code --javelin.transport=tcp}
     * to run the ranks as threads over real TCP connections.
     *
     * @param ranks   number of ranks.
     * @param main    the body of every rank.
     * @param options {@code --javelin.key=value} settings.
     */
    public static void runLocal(final int ranks, final RankMain main, final String... options)
    {
        if (ranks < 1)
        {
            throw new JavelinException(ErrorClass.INVALID_ARGUMENT, "runLocal: ranks must be at least 1, not " +
                ranks);
        }
        final Map<String, String> arguments = parseArguments(options);
        arguments.put("javelin.local.fabric", "runLocal-" + UUID.randomUUID());
        final Map<String, String> settings = settings(arguments);
        final LocalExchange exchange = new LocalExchange(ranks);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread[] threads = new Thread[ranks];
        for (int rank = 0; rank < ranks; rank++)
        {
            final int r = rank;
            threads[rank] = new Thread(() -> runRank(exchange, r, settings, main, failure), "javelin-rank-" + rank);
            threads[rank].start();
        }
        for (final Thread thread : threads)
        {
            try
            {
                thread.join();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new JavelinException(ErrorClass.INTERNAL, "interrupted while waiting for ranks", ex);
            }
        }
        final Throwable first = failure.get();
        if (first instanceof RuntimeException runtime)
        {
            throw runtime;
        }
        if (first instanceof Error error)
        {
            throw error;
        }
        if (null != first)
        {
            throw new JavelinException(ErrorClass.INTERNAL, "a rank failed: " + first, first);
        }
    }

    private static void runRank(final LocalExchange exchange, final int rank, final Map<String, String> settings,
        final RankMain main, final AtomicReference<Throwable> failure)
    {
        Javelin javelin = null;
        try
        {
            javelin = new Javelin(exchange.bootstrap(rank), settings);
            main.run(javelin);
            javelin.close();
        }
        catch (final Throwable ex)
        {
            failure.compareAndSet(null, ex);
            exchange.abort(rank, 1, String.valueOf(ex));
            if (null != javelin)
            {
                javelin.closeWithoutBarrier();
            }
        }
    }

    /**
     * @return the communicator of all ranks.
     */
    public Comm world()
    {
        return world;
    }

    /**
     * Allocates off-heap memory registered with the transport for this Javelin's lifetime: messages sent
     * from or received into it are not copied in user space.
     *
     * @param bytes size.
     * @return page-aligned native memory, valid until {@link #close()}.
     */
    public MemorySegment allocate(final long bytes)
    {
        if (bytes < 0)
        {
            throw new JavelinException(ErrorClass.INVALID_ARGUMENT, "allocate: size " + bytes + " is negative");
        }
        return engine.allocate(bytes);
    }

    /**
     * @return the transport in use: "tcp", "rdma", "aeron", "local", ...
     */
    public String transportName()
    {
        return engine.transportName();
    }

    /**
     * @return where this rank's thread runs, e.g. "CPU 1 (local rank 1 of 2, 2 CPUs allowed)", or "none (why)"
     *         ({@code javelin.bind}: by default a rank's thread gets a CPU of its own when its host's ranks fit in
     *         the CPUs it may use, as {@code mpirun --bind-to core} does).
     */
    public String cpuBinding()
    {
        return engine.cpuBinding().describe();
    }

    /**
     * Leaves the job, like MPI_Finalize: waits for every rank (barrier, then a bootstrap fence), then closes
     * connections and frees memory from {@link #allocate(long)}. Idempotent.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        try
        {
            // The barrier says every rank is done sending; the out-of-band fence then says every rank has
            // also finished receiving, so no rank tears down a connection a peer is still reading from.
            world.barrier();
            bootstrap.fence();
        }
        finally
        {
            closeWithoutBarrier();
        }
    }

    private void closeWithoutBarrier()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (null != abortHandler)
        {
            abortHandler.uninstall();
        }
        try
        {
            engine.close();
        }
        finally
        {
            bootstrap.close();
        }
    }

    private static Map<String, String> settings(final Map<String, String> arguments)
    {
        return Configuration.values(Configuration.resolve(arguments));
    }

    private static Map<String, String> parseArguments(final String... args)
    {
        final Map<String, String> arguments = new HashMap<>();
        for (final String arg : args)
        {
            if (arg.startsWith("--javelin."))
            {
                final int eq = arg.indexOf('=');
                if (eq < 0)
                {
                    throw new JavelinException(ErrorClass.INVALID_ARGUMENT, "option " + arg +
                        " needs a value: write " + arg + "=VALUE");
                }
                arguments.put(arg.substring(2, eq), arg.substring(eq + 1));
            }
        }
        return arguments;
    }
}
