package io.javelin.launcher;

import io.javelin.messaging.bootstrap.Bootstrap;
import io.javelin.messaging.bootstrap.BootstrapException;
import io.javelin.messaging.bootstrap.Bootstraps;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A rank's main for the multi-process tests. Modes (first argument):
 * <ul>
 *   <li>{@code exchange}: put this rank's value, fence, check every rank's value, exit 0.</li>
 *   <li>{@code fail R C}: rank R exits with code C at once; the others wait in a fence that cannot
 *       complete, and when it fails they sleep, so only the launcher can end them quickly.</li>
 *   <li>{@code kill R}: rank R kills itself with SIGKILL; the others behave as with {@code fail}.</li>
 *   <li>{@code abort R C}: rank R aborts the job through the bootstrap; the others as with {@code fail}.</li>
 *   <li>{@code print}: prints two lines, to stdout and stderr.</li>
 *   <li>{@code sleep}: sleeps for a minute.</li>
 * </ul>
 */
public final class BootstrapTestProgram
{
    /** How long a rank blocks when only the launcher is supposed to end it. */
    static final long LINGER_SECONDS = 60;

    private BootstrapTestProgram()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        try (Bootstrap bootstrap = Bootstraps.fromEnvironment())
        {
            final int rank = bootstrap.rank();
            switch (args[0])
            {
                case "exchange" -> exchange(bootstrap);
                case "fail" ->
                {
                    if (rank == Integer.parseInt(args[1]))
                    {
                        System.exit(Integer.parseInt(args[2]));
                    }
                    fenceThenLinger(bootstrap);
                }
                case "kill" ->
                {
                    if (rank == Integer.parseInt(args[1]))
                    {
                        new ProcessBuilder("kill", "-KILL", Long.toString(ProcessHandle.current().pid()))
                            .inheritIO().start().waitFor();
                        TimeUnit.SECONDS.sleep(LINGER_SECONDS);
                    }
                    fenceThenLinger(bootstrap);
                }
                case "abort" ->
                {
                    if (rank == Integer.parseInt(args[1]))
                    {
                        bootstrap.abort(Integer.parseInt(args[2]), "test abort");
                        TimeUnit.SECONDS.sleep(LINGER_SECONDS);
                    }
                    fenceThenLinger(bootstrap);
                }
                case "print" ->
                {
                    System.out.println("out line of rank " + rank);
                    System.err.println("err line of rank " + rank);
                }
                case "sleep" -> TimeUnit.SECONDS.sleep(LINGER_SECONDS);
                default -> throw new IllegalArgumentException(args[0]);
            }
        }
    }

    private static void exchange(final Bootstrap bootstrap)
    {
        final int rank = bootstrap.rank();
        bootstrap.put("value." + rank, ("rank-" + rank).getBytes(StandardCharsets.UTF_8));
        bootstrap.fence();
        for (int r = 0; r < bootstrap.size(); r++)
        {
            final String value = new String(bootstrap.get("value." + r), StandardCharsets.UTF_8);
            if (!value.equals("rank-" + r))
            {
                throw new IllegalStateException("rank " + rank + " read " + value + " for rank " + r);
            }
        }
        // a second round proves the fence is reusable
        bootstrap.put("second." + rank, new byte[]{(byte)rank});
        bootstrap.fence();
        for (int r = 0; r < bootstrap.size(); r++)
        {
            if (bootstrap.get("second." + r)[0] != (byte)r)
            {
                throw new IllegalStateException("rank " + rank + " read a wrong second value for rank " + r);
            }
        }
        System.out.println("rank " + rank + " of " + bootstrap.size() + " exchanged with every rank");
    }

    private static void fenceThenLinger(final Bootstrap bootstrap) throws InterruptedException
    {
        try
        {
            bootstrap.fence();
            System.out.println("rank " + bootstrap.rank() + ": fence completed unexpectedly");
        }
        catch (final BootstrapException expected)
        {
            System.err.println("rank " + bootstrap.rank() + ": " + expected.getMessage());
        }
        TimeUnit.SECONDS.sleep(LINGER_SECONDS);
    }
}
