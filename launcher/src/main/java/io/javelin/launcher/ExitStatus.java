package io.javelin.launcher;

import java.util.Map;

/**
 * Describes how a rank ended. A JVM killed by signal N reports exit value 128 + N (as shells do); a
 * process that called {@code exit(128 + N)} itself looks the same and is described the same way.
 */
final class ExitStatus
{
    private static final Map<Integer, String> SIGNAL_NAMES = Map.ofEntries(
        Map.entry(1, "SIGHUP"), Map.entry(2, "SIGINT"), Map.entry(3, "SIGQUIT"), Map.entry(4, "SIGILL"),
        Map.entry(5, "SIGTRAP"), Map.entry(6, "SIGABRT"), Map.entry(7, "SIGBUS"), Map.entry(8, "SIGFPE"),
        Map.entry(9, "SIGKILL"), Map.entry(10, "SIGUSR1"), Map.entry(11, "SIGSEGV"), Map.entry(12, "SIGUSR2"),
        Map.entry(13, "SIGPIPE"), Map.entry(14, "SIGALRM"), Map.entry(15, "SIGTERM"), Map.entry(24, "SIGXCPU"),
        Map.entry(25, "SIGXFSZ"));

    private ExitStatus()
    {
    }

    /**
     * @param exitValue {@link Process#exitValue()}.
     * @return the signal that killed the process, or 0 when it exited normally.
     */
    static int signal(final int exitValue)
    {
        return exitValue > 128 && exitValue <= 128 + 64 ? exitValue - 128 : 0;
    }

    /**
     * @param rank      the rank.
     * @param exitValue {@link Process#exitValue()}.
     * @return e.g. {@code "rank 2 exited with code 3"} or {@code "rank 1 was killed by signal 9 (SIGKILL)"}.
     */
    static String describe(final int rank, final int exitValue)
    {
        return describe("rank " + rank, exitValue);
    }

    /**
     * @param who       e.g. {@code "rank 2 on host node1"}.
     * @param exitValue {@link Process#exitValue()}.
     * @return e.g. {@code "rank 2 on host node1 exited with code 3"}.
     */
    static String describe(final String who, final int exitValue)
    {
        final int signal = signal(exitValue);
        if (0 == signal)
        {
            return who + " exited with code " + exitValue;
        }
        final String name = SIGNAL_NAMES.get(signal);
        return who + " was killed by signal " + signal + (null == name ? "" : " (" + name + ")");
    }
}
