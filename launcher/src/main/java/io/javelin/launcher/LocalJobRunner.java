package io.javelin.launcher;

import io.javelin.messaging.bootstrap.BootstrapConfiguration;
import io.javelin.messaging.bootstrap.BootstrapServer;

import java.io.IOException;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs one job: starts a {@link BootstrapServer}, starts every rank's JVM (on this host, or on another host
 * through ssh: {@link HostPlan}, {@link RemoteRankCommand}), forwards their output, and supervises them.
 * The job ends when every rank has exited (exit code 0 only if all exited with 0), when a rank fails or
 * aborts (the others are stopped, the result is that rank's exit code), or when the time limit expires
 * (everyone is stopped, the result is 1).
 *
 * <p>Not thread-safe: {@link #run(JobSpec)} runs one job at a time on the caller's thread.
 */
final class LocalJobRunner
{
    private static final SecureRandom RANDOM = new SecureRandom();
    /** ssh's exit code when it fails itself (cannot connect, cannot log in). */
    private static final int SSH_FAILED_EXIT_CODE = 255;

    private final PrintStream out;
    private final PrintStream err;

    /**
     * What the supervising loop reacts to, from the process reaper and bootstrap threads.
     */
    private sealed interface JobEvent
    {
    }

    private record RankExited(int rank, int exitValue) implements JobEvent
    {
    }

    private record RankAborted(int rank, int exitCode, String reason) implements JobEvent
    {
    }

    LocalJobRunner(final PrintStream out, final PrintStream err)
    {
        this.out = out;
        this.err = err;
    }

    /**
     * @param spec the job.
     * @return the exit code for the launcher: 0, the first failing rank's exit code, or 1.
     */
    int run(final JobSpec spec)
    {
        final long jobSecret = RANDOM.nextLong();
        final String jobId = Long.toHexString(ProcessHandle.current().pid()) + "-" +
            Integer.toHexString(RANDOM.nextInt(1 << 20));
        final BlockingQueue<JobEvent> events = new LinkedBlockingQueue<>();
        final List<RankProcess> ranks = new CopyOnWriteArrayList<>();
        final Thread stopOnExit = Thread.ofPlatform().name("javelin-stop-ranks").unstarted(() -> stopAll(ranks));

        final HostPlan hosts = spec.hosts();
        try (BootstrapServer server = BootstrapServer.start(
            spec.ranks(), jobSecret, jobId, listener(events), hosts.bootstrapAddress()))
        {
            Runtime.getRuntime().addShutdownHook(stopOnExit);
            try
            {
                final List<String> command = spec.jvmCommand();
                for (int rank = 0; rank < spec.ranks(); rank++)
                {
                    final RankProcess process;
                    final Map<String, String> environment =
                        RankEnvironment.of(spec, rank, server.address(), jobSecret, jobId);
                    final List<String> rankCommand = hosts.isRemote(rank) ? RemoteRankCommand.command(
                        hosts.sshCommand(), hosts.host(rank), command, System.getProperty("user.dir")) : command;
                    try
                    {
                        process = hosts.isRemote(rank) ?
                            RankProcess.start(rank, rankCommand, Map.of(),
                                RemoteRankCommand.environmentInput(environment), out, err, spec.tagOutput()) :
                            RankProcess.start(rank, rankCommand, environment, null, out, err, spec.tagOutput());
                    }
                    catch (final IOException ex)
                    {
                        err.println("javelin: cannot start " + who(hosts, rank) + " (" + rankCommand.getFirst() +
                            "): " + ex.getMessage() + stopping(ranks, -1));
                        return 1;
                    }
                    ranks.add(process);
                    final int r = rank;
                    process.process().onExit().thenAccept((p) -> events.add(new RankExited(r, p.exitValue())));
                }
                return supervise(spec, ranks, events);
            }
            finally
            {
                stopAll(ranks);
                ranks.forEach((rank) -> rank.awaitOutput(LauncherConfiguration.OUTPUT_DRAIN_MS));
                removeShutdownHook(stopOnExit);
            }
        }
        catch (final IOException ex)
        {
            err.println("javelin: cannot start the bootstrap server on " + hosts.bootstrapAddress().getHostAddress() +
                ": " + ex.getMessage() + (hosts.anyRemote() ?
                "; give an address of this host that the other hosts reach with --bootstrap-address" : ""));
            return 1;
        }
    }

    private BootstrapServer.Listener listener(final BlockingQueue<JobEvent> events)
    {
        return new BootstrapServer.Listener()
        {
            @Override
            public void onAbort(final int rank, final int exitCode, final String reason)
            {
                events.add(new RankAborted(rank, exitCode, reason));
            }

            @Override
            public void onWarning(final String message)
            {
                err.println("javelin: " + message);
            }
        };
    }

    private int supervise(final JobSpec spec, final List<RankProcess> ranks, final BlockingQueue<JobEvent> events)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(spec.timeoutSeconds());
        int running = spec.ranks();
        try
        {
            while (running > 0)
            {
                final JobEvent event;
                if (spec.timeoutSeconds() > 0)
                {
                    event = events.poll(deadlineNs - System.nanoTime(), TimeUnit.NANOSECONDS);
                }
                else
                {
                    event = events.take();
                }

                switch (event)
                {
                    case null ->
                    {
                        final List<Integer> alive = aliveRanks(ranks, -1);
                        final boolean one = alive.size() == 1;
                        err.println("javelin: job timed out after " + spec.timeoutSeconds() + " s; " +
                            BootstrapConfiguration.describeRanks(alive) + (one ? " was" : " were") +
                            " still running; stopping " + (one ? "it" : "them"));
                        return 1;
                    }
                    case RankExited exited when exited.exitValue() == 0 -> running--;
                    case RankExited exited ->
                    {
                        final RankProcess failed = ranks.get(exited.rank());
                        failed.awaitOutput(LauncherConfiguration.OUTPUT_DRAIN_MS);
                        err.println("javelin: " + describeExit(spec.hosts(), failed, exited.exitValue()) +
                            stopping(ranks, exited.rank()));
                        return exited.exitValue();
                    }
                    case RankAborted aborted ->
                    {
                        err.println("javelin: " + who(spec.hosts(), aborted.rank()) +
                            " aborted the job with exit code " +
                            aborted.exitCode() + ": " + aborted.reason() + stopping(ranks, aborted.rank()));
                        return 0 == aborted.exitCode() ? 1 : aborted.exitCode();
                    }
                }
            }
            return 0;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            err.println("javelin: interrupted" + stopping(ranks, -1));
            return 1;
        }
    }

    /**
     * @return {@code "rank 3"}, or {@code "rank 3 on host node2"} in a job on several hosts.
     */
    private static String who(final HostPlan hosts, final int rank)
    {
        return hosts.anyRemote() ? "rank " + rank + " on host " + hosts.host(rank) : "rank " + rank;
    }

    /**
     * ssh exits with 255 when it cannot connect or log in (and with the remote JVM's status otherwise): then
     * the message is ssh's last error line and how to fix the login.
     */
    private static String describeExit(final HostPlan hosts, final RankProcess rank, final int exitValue)
    {
        if (hosts.isRemote(rank.rank()) && SSH_FAILED_EXIT_CODE == exitValue)
        {
            final String host = hosts.host(rank.rank());
            final String reason = rank.lastErrorLine();
            final String fix = reason.contains("Permission denied") ?
                "set up key-based login (ssh-copy-id " + host + ") or pass --ssh \"ssh -i KEY ...\"" :
                "check that 'ssh -o BatchMode=yes " + host + " true' works, or pass --ssh \"ssh -p PORT ...\"";
            return "ssh to " + host + " failed (rank " + rank.rank() + ", exit code 255)" +
                (reason.isEmpty() ? "" : ": " + reason) + ": " + fix + " (or set " + HostPlan.SSH_ENV_NAME + ")";
        }
        return ExitStatus.describe(who(hosts, rank.rank()), exitValue);
    }

    /**
     * @return {@code "; stopping the other 3 ranks"}, or "" when no other rank is running.
     */
    private static String stopping(final List<RankProcess> ranks, final int failedRank)
    {
        final int others = aliveRanks(ranks, failedRank).size();
        if (0 == others)
        {
            return "";
        }
        final String whom = failedRank < 0 ? "the " : "the other ";
        return "; stopping " + whom + (1 == others ? "rank" : others + " ranks");
    }

    private static List<Integer> aliveRanks(final List<RankProcess> ranks, final int except)
    {
        final List<Integer> alive = new ArrayList<>();
        for (final RankProcess rank : ranks)
        {
            if (rank.rank() != except && rank.isAlive())
            {
                alive.add(rank.rank());
            }
        }
        return alive;
    }

    /**
     * SIGTERM to every rank still running, then SIGKILL to those still running after the grace period.
     * Safe to call from the shutdown hook and the launcher thread at once.
     */
    private static void stopAll(final List<RankProcess> ranks)
    {
        ranks.forEach(RankProcess::requestStop);
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LauncherConfiguration.stopGraceMs());
        for (final RankProcess rank : ranks)
        {
            final long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime());
            if (remainingMs <= 0 || !rank.awaitExit(remainingMs))
            {
                rank.kill();
            }
        }
        ranks.forEach((rank) -> rank.awaitExit(LauncherConfiguration.stopGraceMs()));
    }

    private static void removeShutdownHook(final Thread hook)
    {
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException ignore)
        {
            // the JVM is already shutting down: the hook is running or has run
        }
    }
}
