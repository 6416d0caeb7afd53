package io.javelin.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One rank's process and the two threads that forward its output: the rank's JVM, or the ssh that runs it on
 * another host ({@link RemoteRankCommand}). A local rank's standard input is closed at once (ranks read no
 * input; an inherited stdin would be shared by every rank); ssh's standard input carries the rank's
 * environment and then stays open until the rank is stopped: closing it stops the remote rank.
 */
final class RankProcess
{
    private final int rank;
    private final Process process;
    private final Thread stdoutForwarder;
    private final Thread stderrForwarder;
    private final OutputForwarder stderr;
    private final boolean remote;

    private RankProcess(
        final int rank,
        final Process process,
        final Thread stdoutForwarder,
        final Thread stderrForwarder,
        final OutputForwarder stderr,
        final boolean remote)
    {
        this.rank = rank;
        this.process = process;
        this.stdoutForwarder = stdoutForwarder;
        this.stderrForwarder = stderrForwarder;
        this.stderr = stderr;
        this.remote = remote;
    }

    /**
     * Starts the rank and the forwarding of its output.
     *
     * @param rank        the rank.
     * @param command     the JVM command line.
     * @param environment variables added to the launcher's environment.
     * @param input       written to the process's standard input, which then stays open (a remote rank's
     *                    environment for ssh); null to close it at once (a local rank).
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
        final byte[] input,
        final PrintStream out,
        final PrintStream err,
        final boolean tagOutput) throws IOException
    {
        final ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        final Process process = builder.start();
        try
        {
            if (null == input)
            {
                process.getOutputStream().close();
            }
            else
            {
                process.getOutputStream().write(input);
                process.getOutputStream().flush();
            }
        }
        catch (final IOException ignore)
        {
            // the rank (or ssh) may already have exited; its exit is reported elsewhere
        }
        final String prefix = tagOutput ? "[" + rank + "] " : null;
        final Thread stdout = Thread.ofPlatform().daemon().name("javelin-rank-" + rank + "-stdout")
            .start(new OutputForwarder(process.getInputStream(), out, prefix));
        final OutputForwarder stderr = new OutputForwarder(process.getErrorStream(), err, prefix);
        final Thread stderrThread = Thread.ofPlatform().daemon().name("javelin-rank-" + rank + "-stderr")
            .start(stderr);
        return new RankProcess(rank, process, stdout, stderrThread, stderr, null != input);
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
     * @return the last line the process wrote to its stderr (for a failed ssh, ssh's reason), or "".
     */
    String lastErrorLine()
    {
        return stderr.lastLine();
    }

    /**
     * Asks the rank and any processes it started to stop (SIGTERM: the JVM runs its shutdown hooks). A remote
     * rank's ssh gets the end of its input instead: the remote watcher sends the JVM SIGTERM, and ssh exits
     * with the JVM, after forwarding its last output.
     */
    void requestStop()
    {
        if (remote)
        {
            closeInput();
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        if (process.isAlive())
        {
            process.destroy();
        }
    }

    /**
     * Kills the rank and any processes it started (SIGKILL). For a remote rank this kills ssh; the connection
     * closes and the remote watcher stops the JVM.
     */
    void kill()
    {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        closeInput();
    }

    private void closeInput()
    {
        try
        {
            process.getOutputStream().close();
        }
        catch (final IOException ignore)
        {
            // ssh has exited: the remote side saw the connection close
        }
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
