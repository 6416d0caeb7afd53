package io.javelin.messaging.bootstrap;

import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.ToLongFunction;

/**
 * The bootstrap of a task started by plain {@code srun} (no PMIx, no Javelin daemon): rank 0 runs the
 * bootstrap key-value server ({@link BootstrapServer}) inside its own process, and every rank, rank 0
 * included, joins it as a {@link LauncherBootstrap} client. Where the server listens is derived from the
 * Slurm variables ({@link SlurmRendezvous}); the job secret travels in a MUNGE credential or is derived
 * ({@link SlurmJobSecret}).
 *
 * <p>Waits: the other ranks retry connecting to rank 0 until {@link BootstrapConfiguration#timeoutMs()};
 * fences have the same limit. Not thread-safe, as {@link Bootstrap}; {@link #abort(int, String)} may be
 * called from any thread.
 */
public final class SlurmBootstrap implements Bootstrap
{
    /** Limit of one connection attempt (connect and hello) to one candidate port. */
    static final long ATTEMPT_TIMEOUT_MS = 5_000;
    /** Pause between rounds over the candidate ports, while rank 0 is still starting. */
    static final long RETRY_PAUSE_MS = 50;
    /** How long rank 0, closing, waits for the other ranks to leave its server. */
    static final long DRAIN_TIMEOUT_MS = 10_000;

    private final SlurmVariables variables;
    private final BootstrapServer server;
    private final LauncherBootstrap client;
    private final long jobSecret;

    private SlurmBootstrap(
        final SlurmVariables variables, final BootstrapServer server, final LauncherBootstrap client,
        final long jobSecret)
    {
        this.variables = variables;
        this.server = server;
        this.client = client;
        this.jobSecret = jobSecret;
    }

    /**
     * Joins the srun step described by the environment: rank 0 starts the server first.
     *
     * @param environment the process environment (normally {@link System#getenv()}).
     * @return a bootstrap that has been welcomed by rank 0's server.
     * @throws BootstrapException when a variable is missing or malformed, rank 0 cannot listen, or rank 0
     *                            does not answer in time.
     */
    public static SlurmBootstrap fromEnvironment(final Map<String, String> environment)
    {
        final SlurmVariables variables = SlurmVariables.parse(environment);
        final SlurmRendezvous rendezvous = SlurmRendezvous.of(variables, environment);
        final SlurmJobSecret secret = SlurmJobSecret.of(environment);
        final long timeoutMs = BootstrapConfiguration.timeoutMs();
        if (variables.rank() != 0)
        {
            final LauncherBootstrap client = join(variables, rendezvous, secret, timeoutMs);
            return new SlurmBootstrap(variables, null, client, client.jobSecret());
        }
        checkRankZeroNode(variables, rendezvous);
        final long jobSecret = secret.rankZeroSecret(variables);
        final String greeting = secret.rankZeroGreeting(variables, jobSecret);
        final BootstrapServer server = listen(variables, rendezvous, jobSecret, greeting, System.err);
        try
        {
            // Rank 0 knows the secret: it reads its own server's greeting only to pass it by.
            final LauncherBootstrap client = LauncherBootstrap.connect(
                rendezvous.host(), server.port(), 0, variables.size(), variables.localSize(), jobSecret,
                null == greeting ? null : (text) -> jobSecret, variables.step(), timeoutMs, timeoutMs);
            return new SlurmBootstrap(variables, server, client, jobSecret);
        }
        catch (final RuntimeException ex)
        {
            server.close();
            throw ex;
        }
    }

    private static void checkRankZeroNode(final SlurmVariables variables, final SlurmRendezvous rendezvous)
    {
        final String node = variables.nodeName();
        if (variables.nodes().size() > 1 && null != node && !node.equals(variables.rankZeroNode()) &&
            !rendezvous.hostGiven())
        {
            throw new BootstrapException("rank 0 runs on node " + node + " but the other ranks look for it on " +
                variables.rankZeroNode() + ", the first node of SLURM_STEP_NODELIST: use srun's default block or " +
                "cyclic distribution (not -m arbitrary), or set -D" + SlurmRendezvous.HOST_PROP_NAME + "=" + node);
        }
    }

    /**
     * Rank 0: listens on the first candidate port that is free.
     */
    static BootstrapServer listen(
        final SlurmVariables variables,
        final SlurmRendezvous rendezvous,
        final long jobSecret,
        final String greeting,
        final PrintStream log)
    {
        final InetAddress bindHost;
        try
        {
            bindHost = rendezvous.bindAnyHost() ? null : InetAddress.getByName(rendezvous.host());
        }
        catch (final IOException ex)
        {
            throw new BootstrapException("rank 0 of Slurm step " + variables.step() + " cannot resolve its bootstrap " +
                "host " + rendezvous.host() + " (" + ex + "): set -D" + SlurmRendezvous.HOST_PROP_NAME +
                "=<address of this node>", ex);
        }
        final BootstrapServer.Listener listener = new BootstrapServer.Listener()
        {
            @Override
            public void onAbort(final int rank, final int exitCode, final String reason)
            {
                log.println("javelin: rank " + rank + " aborted Slurm step " + variables.step() + " (exit code " +
                    exitCode + "): " + reason);
            }

            @Override
            public void onWarning(final String message)
            {
                log.println("javelin: bootstrap server of Slurm step " + variables.step() + " on rank 0: " + message);
            }
        };
        final Map<Integer, String> failures = new LinkedHashMap<>();
        for (final int port : rendezvous.ports())
        {
            try
            {
                return BootstrapServer.start(variables.size(), jobSecret, variables.step(), listener,
                    new InetSocketAddress(bindHost, port), greeting);
            }
            catch (final IOException ex)
            {
                failures.put(port, ex instanceof BindException ? "in use" : ex.toString());
            }
        }
        throw new BootstrapException("rank 0 of Slurm step " + variables.step() + " cannot listen on " +
            (null == bindHost ? "any address" : rendezvous.host()) + " on any of the ports " +
            rendezvous.describePorts() + " (" + failures + "): choose a free range with -D" +
            SlurmRendezvous.PORT_RANGE_PROP_NAME + "=first-last");
    }

    /**
     * Ranks other than 0: tries the candidate ports in order, round after round, until rank 0's server
     * welcomes this rank or the time limit expires. A port held by another job (wrong secret), by something
     * that is not a Javelin server, or by nobody yet is skipped; any other refusal is final.
     */
    static LauncherBootstrap join(
        final SlurmVariables variables,
        final SlurmRendezvous rendezvous,
        final SlurmJobSecret secret,
        final long timeoutMs)
    {
        final long derivedSecret = SlurmJobSecret.derived(variables);
        final ToLongFunction<String> secretFromGreeting = secret.fromGreeting(variables);
        final long startNs = System.nanoTime();
        final long deadlineNs = startNs + timeoutMs * 1_000_000;
        final Map<Integer, String> lastFailure = new LinkedHashMap<>();
        while (true)
        {
            for (final int port : rendezvous.ports())
            {
                final long remainingMs = (deadlineNs - System.nanoTime()) / 1_000_000;
                if (remainingMs <= 0)
                {
                    throw notAnswered(variables, rendezvous, secret, timeoutMs, lastFailure);
                }
                try
                {
                    return LauncherBootstrap.connect(rendezvous.host(), port, variables.rank(), variables.size(),
                        variables.localSize(), derivedSecret, secretFromGreeting, variables.step(), timeoutMs,
                        Math.min(ATTEMPT_TIMEOUT_MS, remainingMs));
                }
                catch (final LauncherBootstrap.RefusedException ex)
                {
                    if (!ex.reason().startsWith(BootstrapProtocol.WRONG_SECRET_REFUSAL))
                    {
                        throw new BootstrapException("rank 0 of Slurm step " + variables.step() + " on " +
                            rendezvous.host() + " port " + port + " refused rank " + variables.rank() + ": " +
                            ex.reason(), ex);
                    }
                    lastFailure.put(port, "another job's bootstrap server");
                }
                catch (final BootstrapException ex)
                {
                    lastFailure.put(port, null == ex.getCause() ? ex.getMessage() : ex.getCause().getMessage());
                }
            }
            pause(Math.min(RETRY_PAUSE_MS, Math.max(1, (deadlineNs - System.nanoTime()) / 1_000_000)));
        }
    }

    private static BootstrapException notAnswered(
        final SlurmVariables variables,
        final SlurmRendezvous rendezvous,
        final SlurmJobSecret secret,
        final long timeoutMs,
        final Map<Integer, String> lastFailure)
    {
        final Map<String, List<Integer>> portsByFailure = new LinkedHashMap<>();
        lastFailure.forEach((port, failure) ->
            portsByFailure.computeIfAbsent(String.valueOf(failure), (key) -> new ArrayList<>()).add(port));
        final StringJoiner failures = new StringJoiner("; ");
        portsByFailure.forEach((failure, ports) ->
            failures.add("port " + SlurmRendezvous.describePorts(ports) + ": " + failure));
        return new BootstrapException("rank 0 on node " + variables.rankZeroNode() + " (" + rendezvous.host() +
            " port " + rendezvous.describePorts() + ") did not answer rank " + variables.rank() + " of Slurm step " +
            variables.step() + " within " + BootstrapConfiguration.formatSeconds(timeoutMs) + " (" + failures +
            "; job secret: " + secret.mode() + "): check that rank 0 started (see srun's output), that these ports " +
            "are open between nodes and that every rank has the same -D" + SlurmJobSecret.SECRET_PROP_NAME +
            ", or raise -D" + BootstrapConfiguration.TIMEOUT_PROP_NAME + "=<seconds>");
    }

    private static void pause(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new BootstrapException("interrupted while waiting for rank 0's bootstrap server", ex);
        }
    }

    @Override
    public int rank()
    {
        return variables.rank();
    }

    @Override
    public int size()
    {
        return variables.size();
    }

    @Override
    public long jobSecret()
    {
        return jobSecret;
    }

    @Override
    public int localSize()
    {
        return variables.localSize();
    }

    @Override
    public String kind()
    {
        return "slurm";
    }

    /**
     * @return the Slurm step, {@code jobId.stepId}.
     */
    public String step()
    {
        return variables.step();
    }

    @Override
    public void put(final String key, final byte[] value)
    {
        client.put(key, value);
    }

    @Override
    public void fence()
    {
        client.fence();
    }

    @Override
    public byte[] get(final String key)
    {
        return client.get(key);
    }

    @Override
    public void abort(final int exitCode, final String reason)
    {
        client.abort(exitCode, reason);
    }

    /**
     * Leaves the exchange; rank 0 then waits (up to {@link #DRAIN_TIMEOUT_MS}) for the other ranks to leave
     * before it stops its server. Idempotent.
     */
    @Override
    public void close()
    {
        client.close();
        if (null != server)
        {
            server.awaitConnectionsClosed(DRAIN_TIMEOUT_MS);
            server.close();
        }
    }

    @Override
    public String toString()
    {
        return "SlurmBootstrap{rank=" + rank() + ", size=" + size() + ", step=" + step() + "}";
    }
}
