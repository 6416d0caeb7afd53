package io.javelin.benchmarks;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time of this JVM's JIT compiler threads, from Linux's {@code /proc/self/task}: it grows while a
 * compilation runs, which the JVM's own compilation time ({@code CompilationMXBean}) shows only once the
 * compilation has finished. A C2 compilation of a large method takes longer than a warm-up round here, so a
 * round can look quiet while a compiler thread is busy and about to take a rank's CPU.
 */
final class CompilerThreads
{
    private static final Path TASKS = Path.of("/proc/self/task");
    /** HotSpot's compiler threads are named "C1 CompilerThread0", "C2 CompilerThread1", ...; Linux keeps 15 bytes. */
    private static final String NAME_SUFFIX = " CompilerThre";

    private CompilerThreads()
    {
    }

    /**
     * @return the user plus system CPU time of the compiler threads alive now, in clock ticks, or -1 where
     *     {@code /proc} cannot tell (not Linux). Compiler threads come and go, so compare values for equality.
     */
    static long cpuTicks()
    {
        if (!Files.isDirectory(TASKS))
        {
            return -1;
        }
        long ticks = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS))
        {
            for (final Path task : tasks)
            {
                ticks += compilerTicks(task);
            }
        }
        catch (final IOException | RuntimeException e)
        {
            return -1;
        }
        return ticks;
    }

    /**
     * @return the task's utime + stime if it is a compiler thread, else 0 (also when it exited meanwhile).
     */
    private static long compilerTicks(final Path task)
    {
        final String stat;
        try
        {
            stat = Files.readString(task.resolve("stat"));
        }
        catch (final IOException e)
        {
            return 0;
        }
        return ticksOfCompiler(stat);
    }

    /**
     * @param stat a {@code /proc/PID/task/TID/stat} line: {@code tid (comm) state ...}, utime and stime the
     *             14th and 15th fields; comm may hold spaces and parentheses, so it ends at the last ')'.
     * @return utime + stime if comm names a compiler thread, else 0.
     */
    static long ticksOfCompiler(final String stat)
    {
        final int open = stat.indexOf('(');
        final int close = stat.lastIndexOf(')');
        if (open < 0 || close < open)
        {
            return 0;
        }
        final String comm = stat.substring(open + 1, close);
        if (!comm.endsWith(NAME_SUFFIX))
        {
            return 0;
        }
        // after ") ": state(3) ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime(14) stime(15)
        final String[] fields = stat.substring(close + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
