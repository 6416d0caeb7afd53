package io.javelin.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One rank's JVM and the two threads that forward its output. The rank's standard input is closed at once
 * (ranks read no input; an inherited stdin would be shared by every rank).
 */
final class RankProcess
{
    private final int rank;
    private final Process process;
    private final Thread stdoutForwarder;
    private final Thread stderrForwarder;

    private RankProcess(
        final int rank, final Process process, final Thread stdoutForwarder, final Thread stderrForwarder)
    {
        this.rank = rank;
        this.process = process;
        this.stdoutForwarder = stdoutForwarder;
        this.stderrForwarder = stderrForwarder;
    }

    /**
     * Starts the rank and the forwarding of its output.
     *
     * @param rank        the rank.
     * @param command     the JVM command line.
     * @param environment variables added to the launcher's environment.
     * @param out         where the rank's stdout goes.
     * @param err         where the rank's stderr goes.
     * @param tagOutput   prefix lines with {@code [rank] }.
     * @return the started rank.
     * @throws IOException when the JVM cannot be started.
     */
    static RankProcess start(
        final int rank,
        final List<String> command,
        final Map<String, String> environment,
        final PrintStream out,
        final PrintStream err,
        final boolean tagOutput) throws IOException
    {
        final ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        final Process process = builder.start();
        try
        {
            process.getOutputStream().close();
        }
        catch (final IOException ignore)
        {
            // the rank may already have exited; its exit is reported elsewhere
        }
        final String prefix = tagOutput ? "[" + rank + "] " : null;
        final Thread stdout = Thread.ofPlatform().daemon().name("javelin-rank-" + rank + "-stdout")
            .start(new OutputForwarder(process.getInputStream(), out, prefix));
        final Thread stderr = Thread.ofPlatform().daemon().name("javelin-rank-" + rank + "-stderr")
            .start(new OutputForwarder(process.getErrorStream(), err, prefix));
        return new RankProcess(rank, process, stdout, stderr);
    }

    int rank()
    {
        return rank;
    }

    Process process()
    {
        return process;
    }

    boolean isAlive()
    {
        return process.isAlive();
    }

    /**
     * Asks the rank and any processes it started to stop (SIGTERM: the JVM runs its shutdown hooks).
     */
    void requestStop()
    {
        process.descendants().forEach(ProcessHandle::destroy);
        if (process.isAlive())
        {
            process.destroy();
        }
    }

    /**
     * Kills the rank and any processes it started (SIGKILL).
     */
    void kill()
    {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /**
     * Waits until the rank has exited.
     *
     * @param timeoutMs the longest wait.
     * @return true when it has exited.
     */
    boolean awaitExit(final long timeoutMs)
    {
        try
        {
            return process.waitFor(timeoutMs, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /**
     * Waits until the rank's output has been forwarded (its pipes are closed when it and every process
     * that inherited them have exited).
     *
     * @param timeoutMs the longest wait.
     */
    void awaitOutput(final long timeoutMs)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        try
        {
            for (final Thread forwarder : List.of(stdoutForwarder, stderrForwarder))
            {
                final long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime());
                if (remainingMs > 0)
                {
                    forwarder.join(remainingMs);
                }
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
