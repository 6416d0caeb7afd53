package io.javelin.launcher;

import io.javelin.mpi.Javelin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A rank that prints where its thread may run, as the kernel sees it, and what Javelin says it did:
 * "rank R cpus [list] binding [description]".
 */
public final class CpuBindingTestProgram
{
    private CpuBindingTestProgram()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        try (Javelin javelin = Javelin.init(args))
        {
            System.out.println("rank " + javelin.world().rank() + " cpus [" + cpusAllowed("/proc/thread-self/status") +
                "] binding [" + javelin.cpuBinding() + "]");
        }
    }

    /**
     * @param status a {@code /proc/.../status} file.
     * @return its {@code Cpus_allowed_list}, as the kernel lists it ("0-1", "3"), or "?".
     */
    static String cpusAllowed(final String status) throws IOException
    {
        return Files.readAllLines(Path.of(status)).stream()
            .filter(line -> line.startsWith("Cpus_allowed_list:"))
            .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElse("?");
    }
}
